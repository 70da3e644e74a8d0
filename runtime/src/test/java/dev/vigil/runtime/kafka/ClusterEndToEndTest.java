package dev.vigil.runtime.kafka;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.ServiceProcess;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.scheduler.ReferenceScheduler;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster end to end (issue 16): three instances in their own JVMs share 30 simulated machines through a real
 * KRaft broker; three machines develop faults. While the scheduler is down (every webhook pending), the instance
 * that scores the first faulty machine is killed with SIGKILL mid-fault. The two others take its partitions and its
 * machines' state: every machine is scored again within the pause, each fault stays exactly one alert (the id the
 * dead instance gave it, with its history), the scheduler receives every change, the dead instance's pending ones
 * too, once and in the same order on the webhooks as on the Kafka topics, and any survivor lists all 30 machines.
 * Any instance shows every machine's alerts, and an engineer's action given to one instance reaches the instance
 * that scores the machine. The killed instance, started again, takes its share of the partitions back and raises
 * no second alert.
 */
@Tag("slow")
class ClusterEndToEndTest {
    private static final String SECRET = "a-long-shared-webhook-secret";
    private static final String GROUP = "e2e";
    private static final List<String> MACHINES = IntStream.range(0, 30).mapToObj(i -> String.format("cnc-c%02d", i))
            .toList();
    private static final List<String> FAULTY = List.of("cnc-c03", "cnc-c14", "cnc-c25");
    private static final int SECONDS = 70;
    /** Each instance's directory holds its store and its output ({@code service.log}). */
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    @Test
    void aKilledInstancesFaultsStayOneAlertEachAndTheSchedulerMissesNothing() throws Exception {
        Vertx vertx = Vertx.vertx();
        ReferenceScheduler platform = new ReferenceScheduler(SECRET, 0);
        vertx.deployVerticle(platform).await(10, TimeUnit.SECONDS);
        String more = """
                alerts: {staleAfterSeconds: 600}
                scheduler:
                  endpoints:
                    - {name: platform, url: "http://127.0.0.1:%d/hooks", secret: %s}
                """.formatted(platform.actualPort(), SECRET);
        Map<String, Path> configs = new LinkedHashMap<>();
        for (String name : List.of("vigil-a", "vigil-b", "vigil-c")) {
            configs.put(name, Instances.config(tmp, kafka.bootstrap(), GROUP, 12, name, MACHINES, more));
        }
        long start = (System.currentTimeMillis() / 1000 - SECONDS) * 1_000_000_000L;
        Map<String, List<Frame>> frames = new HashMap<>();
        for (int i = 0; i < MACHINES.size(); i++) {
            String m = MACHINES.get(i);
            // the machine the suite's model learnt, each with its own seed: healthy ones look healthy to it
            Simulation.Builder sim = Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(SECONDS)
                    .seed(100 + i);
            if (FAULTY.contains(m)) {
                // a strong imbalance from second 8: the alarm rises within a few windows and stays
                sim.fault(new FaultSpec(FaultType.IMBALANCE, 8, 1, Progression.STEP, 1, null, 0));
            }
            frames.put(m, SecondFrames.live(m, sim.build(), start));
        }
        int perMachine = frames.get(MACHINES.get(0)).size();
        Map<String, ServiceProcess> running = new LinkedHashMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
             KafkaProducer<String, byte[]> gateway = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                     "enable.idempotence", true, "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, Path> c : configs.entrySet()) {
                running.put(c.getKey(), ServiceProcess.start(c.getValue()));
            }
            Map<String, Api> apis = new LinkedHashMap<>();
            running.forEach((name, p) -> apis.put(name, new Api("http://127.0.0.1:" + p.port(), null)));
            awaitGroup(admin, 3);

            // the scheduler is down: every webhook of what follows stays pending in the outboxes
            platform.setDown(true);
            publish(gateway, frames, 0, perMachine * 3 / 7);
            Instances.awaitCommittedToTheEnd(admin, GROUP);
            Map<String, String> owners = new HashMap<>();
            Map<String, Long> faultAlert = new HashMap<>();
            for (String m : FAULTY) {
                String owner = ownerOf(apis, m);
                owners.put(m, owner);
                await().atMost(Duration.ofSeconds(30)).until(() -> machineAlerts(apis.get(owner), m).size() == 1);
                JsonObject alert = machineAlerts(apis.get(owner), m).getJsonObject(0);
                assertThat(alert.getBoolean("active")).as("%s mid-fault", m).isTrue();
                faultAlert.put(m, alert.getLong("id"));
            }
            assertThat(Set.copyOf(faultAlert.values())).as("alert ids unique across the cluster").hasSize(3);
            String victim = owners.get(FAULTY.get(0));
            List<String> victims = MACHINES.stream().filter(m -> ownerOf(apis, m).equals(victim)).toList();
            Api victimApi = apis.get(victim);
            assertThat(pendingWebhooks(victimApi)).as("webhooks pending on %s when it is killed", victim).isPositive();

            long killed = System.nanoTime();
            running.remove(victim).kill();
            apis.remove(victim);
            platform.setDown(false);
            publish(gateway, frames, perMachine * 3 / 7, perMachine * 6 / 7);
            Instances.awaitCommittedToTheEnd(admin, GROUP);
            double pause = (System.nanoTime() - killed) / 1e9;
            assertThat(pause).as("seconds from the kill until every frame published was scored").isLessThan(30);
            System.out.printf("cluster end to end: %s killed with %d machines (%s); every frame scored and committed "
                    + "%.1f s after the kill%n", victim, victims.size(), victims, pause);

            // the dead instance's machines scored by the survivors (whichever scored them before the group moved
            // the partitions once more); every machine owned by exactly one survivor now
            for (String m : victims) {
                assertThat(apis.values().stream().mapToLong(api -> Instances.windows(api, m)).sum())
                        .as("%s, %s's, scored after the kill", m, victim).isPositive();
            }
            MACHINES.forEach(m -> ownerOf(apis, m));
            // each fault one alert, the one it had before the kill
            for (String m : FAULTY) {
                Api owner = apis.get(ownerOf(apis, m));
                JsonArray alerts = machineAlerts(owner, m);
                assertThat(alerts).as("%s: one machine alert after the kill", m).hasSize(1);
                assertThat(alerts.getJsonObject(0).getLong("id")).as("%s keeps its alert id", m)
                        .isEqualTo(faultAlert.get(m));
                JsonObject withHistory = new JsonObject(owner.get("/api/v1/alerts/" + faultAlert.get(m)).body());
                assertThat(withHistory.getJsonArray("history").getJsonObject(0).getString("event"))
                        .as("%s: the alert's history from its raising on", m).isEqualTo("raised");
            }
            for (Api api : apis.values()) {
                JsonArray listed = new JsonObject(api.get("/api/v1/machines").body()).getJsonArray("machines");
                assertThat(listed).as("any survivor lists the fleet").hasSize(30);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonArray fleet = new JsonObject(api.get("/api/v1/availability").body()).getJsonArray("machines");
                    assertThat(fleet).hasSize(30);
                    for (Object o : fleet) {
                        JsonObject a = (JsonObject) o;
                        if (FAULTY.contains(a.getString("machine"))) {
                            assertThat(a.getString("status")).as(a.encode()).isIn("at-risk", "degraded");
                            assertThat(a.getLong("alert")).as(a.encode()).isEqualTo(faultAlert.get(a.getString("machine")));
                        } else {
                            assertThat(a.getString("status")).as(a.encode()).isEqualTo("available");
                        }
                    }
                });
            }

            // any instance shows the whole fleet's alerts, and an engineer's action on another instance's machine
            // reaches that instance
            String fault = FAULTY.get(0);
            String ownerName = ownerOf(apis, fault);
            Api faultOwner = apis.get(ownerName);
            Api other = apis.entrySet().stream().filter(e -> !e.getKey().equals(ownerName)).findFirst().orElseThrow()
                    .getValue();
            for (Api api : apis.values()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new JsonObject(api.get(
                        "/api/v1/alerts?category=machine").body()).getJsonArray("alerts").stream()
                        .map(o -> ((JsonObject) o).getLong("id")).toList()).containsAll(faultAlert.values()));
            }
            long id = faultAlert.get(fault);
            assertThat(other.post("/api/v1/alerts/" + id + "/resolve", "{\"verdict\": \"maybe\"}").statusCode())
                    .as("bad input refused where it is given").isEqualTo(400);
            // the live event stream of the instance the engineer uses shows the change the owner makes
            List<String> live = java.util.Collections.synchronizedList(new ArrayList<>());
            java.net.http.HttpResponse<java.util.stream.Stream<String>> sse = other.http().send(other
                    .request("/api/v1/alerts/events").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(sse.statusCode()).isEqualTo(200);
            Thread listener = new Thread(() -> {
                try {
                    sse.body().filter(l -> l.startsWith("data: ")).forEach(l -> live.add(l.substring(6)));
                } catch (java.io.UncheckedIOException closed) {
                    // the stream ends with the instance
                }
            });
            listener.setDaemon(true);
            listener.start();
            var acked = other.post("/api/v1/alerts/" + id + "/ack", "{\"by\": \"eve\"}");
            assertThat(acked.statusCode()).as(acked.body()).isEqualTo(202);
            assertThat(new JsonObject(acked.body()).getString("forwardedTo")).contains(fault);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(List.copyOf(live)).anySatisfy(l -> {
                JsonObject e = new JsonObject(l);
                assertThat(e.getString("type")).isEqualTo("acknowledged");
                assertThat(e.getString("actor")).contains("eve");
                assertThat(e.getJsonObject("alert").getLong("id")).isEqualTo(id);
            }));
            for (Api api : List.of(faultOwner, other)) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonObject a = new JsonObject(api.get("/api/v1/alerts/" + id).body());
                    assertThat(a.getBoolean("acknowledged")).as(a.encode()).isTrue();
                    assertThat(a.getJsonArray("history").stream().map(o -> ((JsonObject) o).getString("event")))
                            .contains("raised", "acknowledged");
                });
            }

            // the scheduler gets every change, the dead instance's pending ones too: the same sequence per machine
            // on the webhooks as on the topics, each fault raised once
            // (the two topics have no order between them: each kind is compared on its own)
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, List<String>> statuses = topicSequence("vigil.availability");
                Map<String, List<String>> alertEvents = topicSequence("vigil.alerts");
                Map<String, List<String>> received = platform.received();
                for (String m : MACHINES) {
                    List<String> got = received.getOrDefault(m, List.of());
                    assertThat(hooks(got, true)).as("%s: status webhooks as on the availability topic", m)
                            .isEqualTo(statuses.getOrDefault(m, List.of()));
                    assertThat(hooks(got, false)).as("%s: alert webhooks as on the alerts topic", m)
                            .isEqualTo(alertEvents.getOrDefault(m, List.of()));
                }
            });
            for (String m : FAULTY) {
                List<String> got = platform.received().get(m);
                assertThat(got.stream().filter("alert.raised"::equals).count()).as("%s raised once: %s", m, got)
                        .isEqualTo(1);
                assertThat(got).as("%s at risk after its alert", m).containsSubsequence("alert.raised", "status:at-risk");
            }
            assertThat(alertIdsOnTopic()).as("each fault's events on the topic name its one alert")
                    .containsAllEntriesOf(Map.of(FAULTY.get(0), Set.of(faultAlert.get(FAULTY.get(0))),
                            FAULTY.get(1), Set.of(faultAlert.get(FAULTY.get(1))),
                            FAULTY.get(2), Set.of(faultAlert.get(FAULTY.get(2)))));

            // the killed instance comes back and takes its share; nothing is raised twice
            running.put(victim, ServiceProcess.start(configs.get(victim)));
            apis.put(victim, new Api("http://127.0.0.1:" + running.get(victim).port(), null));
            awaitGroup(admin, 3);
            publish(gateway, frames, perMachine * 6 / 7, perMachine);
            Instances.awaitCommittedToTheEnd(admin, GROUP);
            Api back = apis.get(victim);
            assertThat(MACHINES.stream().filter(m -> scoredHere(back, m)).count()).as("%s scores again", victim)
                    .isPositive();
            for (String m : FAULTY) {
                Api owner = apis.get(ownerOf(apis, m));
                assertThat(machineAlerts(owner, m)).extracting(o -> ((JsonObject) o).getLong("id"))
                        .as("%s: still its one alert", m).containsExactly(faultAlert.get(m));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String m : FAULTY) {
                    assertThat(platform.received().get(m).stream().filter("alert.raised"::equals).count())
                            .as("%s raised once", m).isEqualTo(1);
                }
            });
        } finally {
            running.values().forEach(ServiceProcess::close);
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitGroup(Admin admin, int members) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            var group = admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP);
            return group.members().size() == members && group.members().stream()
                    .allMatch(m -> Instances.frames(m.assignment()) == 12 / members);
        });
    }

    private static void publish(KafkaProducer<String, byte[]> gateway, Map<String, List<Frame>> frames, int from,
                                int to) {
        for (int i = from; i < to; i++) {
            for (String m : MACHINES) {
                gateway.send(new ProducerRecord<>("vigil.frames", m, FrameCodec.encode(frames.get(m).get(i))));
            }
        }
        gateway.flush();
    }

    private static boolean scoredHere(Api api, String machine) {
        try {
            return new JsonObject(api.get("/api/v1/machines/" + machine).body()).getBoolean("scoredHere", true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The one instance that says it scores the machine now. */
    private static String ownerOf(Map<String, Api> apis, String machine) {
        List<String> owners = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            owners.clear();
            apis.forEach((name, api) -> {
                if (scoredHere(api, machine)) {
                    owners.add(name);
                }
            });
            assertThat(owners).as("instances scoring %s", machine).hasSize(1);
        });
        return owners.get(0);
    }

    private static JsonArray machineAlerts(Api api, String machine) throws Exception {
        return new JsonObject(api.get("/api/v1/alerts?machine=" + machine + "&category=machine&open=false").body())
                .getJsonArray("alerts");
    }

    private static final Pattern PENDING = Pattern.compile(
            "vigil_webhooks\\{endpoint=\"platform\",state=\"pending\",?\\} (\\d+)");

    private static long pendingWebhooks(Api api) throws Exception {
        Matcher m = PENDING.matcher(api.get("/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * Each event of a topic once (by CloudEvent id, as receivers tell repeats), per machine in the topic's order, as
     * the webhooks name them ({@code status:at-risk}, {@code alert.raised}, ...).
     */
    private static Map<String, List<String>> topicSequence(String topic) {
        Map<String, List<String>> out = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (ConsumerRecord<String, CloudEvent> r : read(topic)) {
            if (seen.add(r.value().getId())) {
                String type = r.value().getType();
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(SchedulerEvents.STATUS_CHANGED.equals(type)
                        ? "status:" + data(r).getString("status") : type.substring("vigil.".length()));
            }
        }
        return out;
    }

    /** The webhooks a machine received of one kind (status changes or alert events), in their order. */
    private static List<String> hooks(List<String> received, boolean status) {
        return received.stream().filter(e -> e.startsWith("status:") == status).toList();
    }

    private static Map<String, Set<Long>> alertIdsOnTopic() {
        Map<String, Set<Long>> out = new HashMap<>();
        for (ConsumerRecord<String, CloudEvent> r : read("vigil.alerts")) {
            JsonObject d = data(r);
            if ("machine".equals(d.getString("category"))) {
                out.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(d.getLong("id"));
            }
        }
        return out;
    }

    private static JsonObject data(ConsumerRecord<String, CloudEvent> r) {
        return new JsonObject(new String(r.value().getData().toBytes(), StandardCharsets.UTF_8));
    }

    /** Every record of the topic so far. */
    private static List<ConsumerRecord<String, CloudEvent>> read(String topic) {
        try (KafkaConsumer<String, CloudEvent> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                new StringDeserializer(), new CloudEventDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, CloudEvent>> out = new ArrayList<>();
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
