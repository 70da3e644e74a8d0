package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.score.ModelVersion;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Changes to a machine made through any instance's API in a cluster (two, then three instances on a real KRaft
 * broker): models deployed, rolled back, shadowed and promoted reach the instance that scores the machine, stay
 * with the machine when it moves, and are there on an instance that joins later with an empty store; records on the
 * models topic that are not what they say are passed over without changing a machine's models. A reset of the
 * level feedback and a scheduler's confirmation given to the instance that does not score the machine reach the
 * owner and move with the machine's state.
 */
@Tag("slow")
class KafkaModelsTest {
    private static final List<String> MACHINES = machines();
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    /** Four machines on both of the two partitions. */
    private static List<String> machines() {
        List<String> chosen = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; chosen.size() < 4; i++) {
            String m = "cnc-d" + i;
            int p = Utils.toPositive(Utils.murmur2(m.getBytes(StandardCharsets.UTF_8))) % 2;
            if (partitions.add(p) || partitions.size() == 2) {
                chosen.add(m);
            }
        }
        return chosen;
    }

    private static Path config(String instance) throws Exception {
        return Instances.config(tmp, kafka.bootstrap(), "models", 2, instance, MACHINES, "");
    }

    private static JsonObject json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    private static JsonObject model(Api api, String machine) throws Exception {
        return json(api.get("/api/v1/machines/" + machine + "/model"), 200);
    }

    private static String active(Api api, String machine) throws Exception {
        return model(api, machine).getJsonObject("active").getString("version");
    }

    @Test
    void aModelChangedOnAnyInstanceIsTheMachinesWhereverItIsScored() throws Exception {
        String v1 = ModelVersion.of(TestModels.cnc("spindle-7"));
        byte[] candidate = Files.readAllBytes(TestModels.cnc("spindle-7", 77));
        long start = (System.currentTimeMillis() / 1000 - 60) * 1_000_000_000L;
        try (TestServer a = TestServer.start(config("vigil-a"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
             KafkaProducer<String, byte[]> gateway = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                     "enable.idempotence", true, "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            Api apiA = a.api(null);
            String machine;
            List<Frame> life;
            int quarter;
            String v2;
            TestServer b = TestServer.start(config("vigil-b"));
            try {
                Api apiB = b.api(null);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    var group = admin.describeConsumerGroups(List.of("models")).all().get(30, TimeUnit.SECONDS)
                            .get("models");
                    return group.members().size() == 2 && group.members().stream()
                            .allMatch(m -> Instances.frames(m.assignment()) == 1);
                });
                // the machines' first frames: each instance learns where they come (a machine b scores, a only shows)
                Map<String, List<Frame>> lives = new java.util.HashMap<>();
                for (String m : MACHINES) {
                    lives.put(m, SecondFrames.live(m, Simulation.builder(CncSpec.defaults(m)).lifeDurationS(60)
                            .seed(4).build(), start));
                    publish(gateway, m, lives.get(m).subList(0, 4));
                }
                Instances.awaitCommittedToTheEnd(admin, "models");
                machine = MACHINES.stream().filter(m -> scoredHere(apiB, m) && !scoredHere(apiA, m)).findFirst()
                        .orElseThrow();
                life = lives.get(machine);
                quarter = life.size() / 4;

                // deployed through the instance that does not score the machine
                JsonObject deployed = json(apiA.send(apiA.request("/api/v1/machines/" + machine + "/model")
                        .header("content-type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(candidate))), 200);
                v2 = deployed.getJsonObject("active").getString("version");
                assertThat(v2).isNotEqualTo(v1);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonObject onB = model(apiB, machine);
                    assertThat(onB.getJsonObject("active").getString("version")).isEqualTo(v2);
                    assertThat(onB.getJsonObject("previous").getString("version")).isEqualTo(v1);
                    assertThat(onB.getJsonArray("deployments").getJsonObject(0).getString("action")).isEqualTo("deploy");
                });
                // and b scores the machine's frames with it
                publish(gateway, machine, life.subList(4, quarter));
                Instances.awaitCommittedToTheEnd(admin, "models");
                assertThat(model(apiB, machine).getJsonObject("active").getLong("windows"))
                        .as("windows the deployed model scored on b").isPositive();
                assertThat(MACHINES.stream().filter(m -> !m.equals(machine)).map(m -> {
                    try {
                        return active(apiB, m);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).as("the other machines keep their model").containsOnly(v1);

                // a rollback on the owner reaches the other instance; a shadow given there reaches the owner
                json(apiB.post("/api/v1/machines/" + machine + "/model/rollback", ""), 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> active(apiA, machine).equals(v1));
                json(apiA.send(apiA.request("/api/v1/machines/" + machine + "/model?mode=shadow")
                        .header("content-type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(candidate))), 200);
                String shadow = v2;
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    JsonObject s = model(apiB, machine).getJsonObject("shadow");
                    return s != null && s.getString("version").equals(shadow);
                });
                publish(gateway, machine, life.subList(quarter, 2 * quarter));
                Instances.awaitCommittedToTheEnd(admin, "models");
                assertThat(model(apiB, machine).getJsonObject("shadow").getLong("windows"))
                        .as("the shadow scored on the owner").isPositive();
                JsonObject promoted = json(apiB.post("/api/v1/machines/" + machine + "/model/promote", ""), 200);
                assertThat(promoted.getJsonObject("active").getString("version")).isEqualTo(v2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonObject onA = model(apiA, machine);
                    assertThat(onA.getJsonObject("active").getString("version")).isEqualTo(v2);
                    assertThat(onA.containsKey("shadow")).isFalse();
                    assertThat(onA.getJsonArray("deployments")).extracting(o -> ((JsonObject) o).getString("action"))
                            .startsWith("promote", "rollback", "deploy");
                });

                // a reset of the level feedback asked on a goes to the owner, which hands its feedback on
                java.time.Instant asked = java.time.Instant.now().minusSeconds(1);
                HttpResponse<String> reset = apiA.send(apiA.request("/api/v1/machines/" + machine + "/feedback")
                        .DELETE());
                JsonObject forwarded = json(reset, 202);
                assertThat(forwarded.getString("action")).isEqualTo("reset-feedback");
                assertThat(forwarded.getString("forwardedTo")).contains(machine);
                await().atMost(Duration.ofSeconds(30)).until(() -> stateWithFeedbackSince(machine, asked) != null);
                assertThat(stateWithFeedbackSince(machine, asked).writtenBy()).isEqualTo("vigil-b");

                // a scheduler's confirmation given to a goes to the owner, and moves with the machine's state
                await().atMost(Duration.ofSeconds(30)).until(() -> apiA.get("/api/v1/availability/" + machine)
                        .statusCode() == 200);
                JsonObject confirmed = json(apiA.post("/api/v1/availability/" + machine + "/ack",
                        "{\"excluded\": true}"), 202);
                assertThat(confirmed.getString("action")).isEqualTo("scheduler-ack");
                for (Api api : List.of(apiA, apiB)) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        JsonObject ack = new JsonObject(api.get("/api/v1/availability/" + machine).body())
                                .getJsonObject("schedulerAck");
                        return ack != null && ack.getBoolean("excluded");
                    });
                }

                // either instance's availability event stream carries the machine b announced, each change once
                for (Api api : List.of(apiA, apiB)) {
                    List<JsonObject> seen = java.util.Collections.synchronizedList(new ArrayList<>());
                    HttpResponse<java.util.stream.Stream<String>> sse = api.http().send(api
                            .request("/api/v1/availability/events").header("Last-Event-ID", "0").GET().build(),
                            HttpResponse.BodyHandlers.ofLines());
                    assertThat(sse.statusCode()).isEqualTo(200);
                    Thread reader = new Thread(() -> {
                        try {
                            sse.body().filter(l -> l.startsWith("data: ")).map(l -> new JsonObject(l.substring(6)))
                                    .filter(o -> machine.equals(o.getString("machine"))).forEach(seen::add);
                        } catch (java.io.UncheckedIOException closed) {
                            // the stream ends with the instance
                        }
                    });
                    reader.setDaemon(true);
                    reader.start();
                    await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
                    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> List.copyOf(seen)
                            .stream().map(o -> o.getString("status") + "@" + o.getString("since")).distinct().count()
                            == seen.size());
                    sse.body().close();
                }
            } finally {
                b.close();
            }

            // the machine moves to a: it goes on with the model deployed while b scored it
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("models")).all().get(30, TimeUnit.SECONDS)
                        .get("models");
                return group.members().size() == 1 && Instances.frames(group.members().iterator().next().assignment()) == 2;
            });
            long before = model(apiA, machine).getJsonObject("active").getLong("windows");
            publish(gateway, machine, life.subList(2 * quarter, 3 * quarter));
            Instances.awaitCommittedToTheEnd(admin, "models");
            assertThat(scoredHere(apiA, machine)).isTrue();
            JsonObject onA = model(apiA, machine);
            assertThat(onA.getJsonObject("active").getString("version")).isEqualTo(v2);
            assertThat(onA.getJsonObject("active").getLong("windows")).as("scored on a with the model b had")
                    .isGreaterThan(before);

            // records on the topic that are not what they say change nothing
            String wrongVersion = ModelVersion.of(TestModels.cnc("spindle-7")).equals("0123456789ab") ? "0123456789ac"
                    : "0123456789ab";
            int partition = Utils.toPositive(Utils.murmur2(machine.getBytes(StandardCharsets.UTF_8))) % 2;
            send(gateway, partition, machine + "/" + wrongVersion + "/0", candidate, "bundle", "1");
            send(gateway, partition, machine, "{not json".getBytes(StandardCharsets.UTF_8), "model", null);
            send(gateway, partition, machine, new JsonObject().put("format", "vigil-machine-models")
                    .put("formatVersion", 1).put("machine", machine).put("active", wrongVersion)
                    .put("configured", v1).put("action", "deploy").put("by", "mallory")
                    .put("at", "2026-12-03T00:00:00Z").put("writtenBy", "nobody").encode()
                    .getBytes(StandardCharsets.UTF_8), "model", null);
            send(gateway, partition, "cnc-unknown", "x".getBytes(StandardCharsets.UTF_8), "other", null);

            // commands that are not what they say are passed over by the owner; the next good one is applied
            for (String bad : List.of("{not json", "{\"action\": \"acknowledge\", \"alert\": 424242, \"by\": \"eve\"}",
                    "{\"action\": \"reset-feedback\"}", "{\"action\": \"scheduler-ack\", \"by\": \"x\", \"at\": 1}",
                    "{\"action\": \"scheduler-ack\", \"by\": \"x\", \"excluded\": \"no\", \"at\": 1}",
                    "{\"action\": \"format-disk\", \"by\": \"x\"}", "[]")) {
                gateway.send(new ProducerRecord<>("vigil.commands", partition, machine,
                        bad.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
            gateway.send(new ProducerRecord<>("vigil.commands", partition, machine, new JsonObject()
                    .put("action", "scheduler-ack").put("by", "planner").put("excluded", false)
                    .put("at", System.currentTimeMillis()).encode().getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonObject ack = new JsonObject(apiA.get("/api/v1/availability/" + machine).body())
                        .getJsonObject("schedulerAck");
                return ack != null && "planner".equals(ack.getString("by")) && !ack.getBoolean("excluded");
            });
            assertThat(apiA.get("/health/ready").statusCode()).isEqualTo(200);

            // an instance that joins with an empty store has the cluster's models before it scores
            try (TestServer c = TestServer.start(config("vigil-c"))) {
                Api apiC = c.api(null);
                assertThat(active(apiC, machine)).as("c's model for the machine, right after it started").isEqualTo(v2);
                assertThat(Files.exists(tmp.resolve("vigil-c").resolve("models").resolve(machine + "-" + wrongVersion
                        + ".zip"))).as("a bundle whose content is another version is not kept").isFalse();
                // and what it changes reaches a, past the records it passed over
                json(apiC.post("/api/v1/machines/" + machine + "/model/rollback", ""), 200);
                await().atMost(Duration.ofSeconds(30)).until(() -> active(apiA, machine).equals(v1));
                JsonArray onC = model(apiC, machine).getJsonArray("deployments");
                assertThat(onC.getJsonObject(0).getString("action")).isEqualTo("rollback");
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    HttpResponse<String> r = apiC.get("/api/v1/availability/" + machine);
                    return r.statusCode() == 200 && new JsonObject(r.body()).getJsonObject("schedulerAck") != null;
                });
            }
            assertThat(active(apiA, machine)).isEqualTo(v1);
        }
    }

    private static boolean scoredHere(Api api, String machine) {
        try {
            return !new JsonObject(api.get("/api/v1/machines/" + machine).body()).containsKey("scoredHere");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest state record of the machine whose feedback was saved at or after {@code since}, or null. */
    private static MachineState stateWithFeedbackSince(String machine, java.time.Instant since) {
        MachineState found = null;
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers",
                kafka.bootstrap()), new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var parts = c.partitionsFor("vigil.state").stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition("vigil.state", i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (machine.equals(r.key()) && r.value() != null) {
                        MachineState s = new StateCodec().decode(r.value());
                        if (s.feedback() != null && !s.feedback().updatedAt().isBefore(since)) {
                            found = s;
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void publish(KafkaProducer<String, byte[]> gateway, String machine, List<Frame> frames) {
        for (Frame f : frames) {
            gateway.send(new ProducerRecord<>("vigil.frames", machine, FrameCodec.encode(f)));
        }
        gateway.flush();
    }

    private static void send(KafkaProducer<String, byte[]> p, int partition, String key, byte[] value, String kind,
                             String chunks) throws Exception {
        RecordHeaders h = new RecordHeaders();
        h.add(SharedModels.KIND, kind.getBytes(StandardCharsets.UTF_8));
        if (chunks != null) {
            h.add(SharedModels.CHUNKS, chunks.getBytes(StandardCharsets.UTF_8));
        }
        p.send(new ProducerRecord<>("vigil.models", partition, key, value, h)).get(30, TimeUnit.SECONDS);
    }
}
