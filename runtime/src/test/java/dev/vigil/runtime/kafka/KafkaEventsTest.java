package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alert and availability changes of an instance reach the cluster's topics as CloudEvents (Kafka binding, binary
 * mode), keyed by machine, in the order they happened, from the same outbox as the webhooks.
 */
@Tag("slow")
class KafkaEventsTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    @Test
    void aStaleMachinesAlertAndAvailabilityArePublishedAsCloudEventsInOrder() throws Exception {
        Path model = TestModels.cnc("spindle-7").toAbsolutePath();
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                auth: {disabled: true}
                alerts: {staleAfterSeconds: 1}
                scheduler: {site: hall-9}
                kafka: {bootstrapServers: "%s", group: events-test, instance: vigil-a, partitions: 2}
                machines:
                  - {id: cnc-e1, tenant: acme, model: %s}
                """.formatted(kafka.bootstrap(), model));
        try (TestServer server = TestServer.start(yaml);
             KafkaProducer<String, byte[]> gateway = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                     new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, CloudEvent> platform = new KafkaConsumer<>(Map.of("bootstrap.servers",
                     kafka.bootstrap(), "group.id", "platform", "auto.offset.reset", "earliest"),
                     new StringDeserializer(), new CloudEventDeserializer())) {
            long start = (System.currentTimeMillis() / 1000 - 6) * 1_000_000_000L;
            for (Frame f : SecondFrames.live("cnc-e1", Simulation.builder(CncSpec.defaults("cnc-e1")).lifeDurationS(6)
                    .seed(4).build(), start)) {
                gateway.send(new ProducerRecord<>("vigil.frames", "cnc-e1", FrameCodec.encode(f)));
            }
            gateway.flush();
            // then nothing: a second later the machine is stale (a sensor alert) and no longer available

            platform.subscribe(List.of("vigil.alerts", "vigil.availability"));
            List<ConsumerRecord<String, CloudEvent>> alerts = new ArrayList<>();
            List<ConsumerRecord<String, CloudEvent>> availability = new ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                platform.poll(Duration.ofMillis(500)).forEach(r -> (r.topic().equals("vigil.alerts") ? alerts
                        : availability).add(r));
                // the stale alert, and the machine offline after it was available (announced a refresh later)
                List<String> seen = statuses(availability);
                int available = seen.indexOf("available");
                return alerts.stream().anyMatch(r -> r.value().getType().equals(SchedulerEvents.ALERT_RAISED))
                        && available >= 0 && seen.subList(available, seen.size()).contains("offline");
            });
            for (ConsumerRecord<String, CloudEvent> r : alerts) {
                assertThat(r.key()).isEqualTo("cnc-e1");
                assertThat(r.value().getSubject()).isEqualTo("cnc-e1");
                assertThat(r.value().getSource().toString()).isEqualTo("urn:vigil:hall-9");
                assertThat(r.headers().lastHeader("ce_type")).as("binary mode: attributes as ce_ headers").isNotNull();
            }
            CloudEvent raised = alerts.stream().map(ConsumerRecord::value)
                    .filter(e -> e.getType().equals(SchedulerEvents.ALERT_RAISED)).findFirst().orElseThrow();
            JsonObject data = new JsonObject(new String(raised.getData().toBytes(), StandardCharsets.UTF_8));
            assertThat(data.getString("machine")).isEqualTo("cnc-e1");
            assertThat(data.encode()).contains("stale");
            // availability: every change of the machine, in the order the service made them
            assertThat(availability).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("cnc-e1");
                assertThat(r.value().getType()).isEqualTo(SchedulerEvents.STATUS_CHANGED);
            });
            List<String> statuses = statuses(availability);
            // offline before its first frame, available while data came, offline once stale: each a change
            assertThat(statuses).as("statuses as published").containsSubsequence("available", "offline");
            for (int i = 1; i < statuses.size(); i++) {
                assertThat(statuses.get(i)).as("event %d of %s is a change", i, statuses).isNotEqualTo(statuses.get(i - 1));
            }
            for (int i = 1; i < availability.size(); i++) {
                assertThat(availability.get(i).value().getTime()).isAfterOrEqualTo(availability.get(i - 1).value().getTime());
            }
        }
    }

    /**
     * Whoever may write the availability topic (a misconfigured scheduler, a forged client) can put records there that
     * are no CloudEvent at all: every instance's fleet view reads past them, logs them, and keeps taking the changes
     * after them (a reader that stopped at the first would leave the fleet view and the event streams frozen). A change
     * dated far ahead does not hide the ones after it either.
     */
    @Test
    void recordsOnTheAvailabilityTopicThatAreNoCloudEventsArePassedOverAndTheFleetViewGoesOn() throws Exception {
        Path model = TestModels.cnc("spindle-7").toAbsolutePath();
        Path yaml = Files.writeString(tmp.resolve("forged.yaml"), TestServer.LOCAL + """
                auth: {disabled: true}
                kafka: {bootstrapServers: "%s", group: forged-test, instance: vigil-f, partitions: 2,
                        topics: {availability: forged.availability, alerts: forged.alerts, frames: forged.frames,
                                 state: forged.state, commands: forged.commands, models: forged.models}}
                machines:
                  - {id: cnc-f1, model: %s}
                """.formatted(kafka.bootstrap(), model));
        try (TestServer server = TestServer.start(yaml);
             KafkaProducer<String, byte[]> writer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap()),
                     new StringSerializer(), new ByteArraySerializer())) {
            Api api = server.api(null);
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/health/ready").statusCode() == 200);
            // a change dated years ahead (a forged one, or an instance whose clock runs fast): shown, but logged as of
            // now, so the changes after it are not passed over as older than it
            writer.send(binary("cnc-f1", "from-the-future", "2099-01-01T00:00:00Z", new JsonObject()
                    .put("machine", "cnc-f1").put("tenant", "default").put("status", "degraded")
                    .put("reason", "from the future").put("since", "2099-01-01T00:00:00Z").put("risk", 0.5).encode()))
                    .get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> replay(api).stream()
                    .anyMatch(o -> "from the future".equals(o.getString("reason"))));
            // no CloudEvent headers at all; a structured-mode content type with a body that is no JSON; a CloudEvent
            // whose data is no availability (a record without a key the compacted topic refuses itself)
            writer.send(new ProducerRecord<>("forged.availability", "cnc-f1", "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            ProducerRecord<String, byte[]> structured = new ProducerRecord<>("forged.availability", "cnc-f1",
                    "{not json".getBytes(StandardCharsets.UTF_8));
            structured.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            writer.send(structured).get(30, TimeUnit.SECONDS);
            writer.send(binary("cnc-f1", "forged-1", Instant.now().toString(), "{\"status\": \"on-fire\"}"))
                    .get(30, TimeUnit.SECONDS);
            // then a well-formed change, as another instance would announce it: it reaches this instance's stream
            String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            writer.send(binary("cnc-f1", "after-the-garbage", Instant.now().toString(), new JsonObject()
                    .put("machine", "cnc-f1")
                    .put("tenant", "default").put("status", "in-maintenance").put("reason", "after the garbage")
                    .put("since", since).put("risk", 0.0).encode())).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> replay(api).stream()
                    .anyMatch(o -> "after the garbage".equals(o.getString("reason"))));
            assertThat(replay(api)).noneMatch(o -> "on-fire".equals(o.getString("status")));
            assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
        }
    }

    private static ProducerRecord<String, byte[]> binary(String machine, String id, String time, String data) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>("forged.availability", machine,
                data.getBytes(StandardCharsets.UTF_8));
        r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                .add("ce_id", id.getBytes(StandardCharsets.UTF_8))
                .add("ce_source", "urn:vigil:elsewhere".getBytes(StandardCharsets.UTF_8))
                .add("ce_type", SchedulerEvents.STATUS_CHANGED.getBytes(StandardCharsets.UTF_8))
                .add("ce_time", time.getBytes(StandardCharsets.UTF_8))
                .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The instance's availability event log from its start, as its live stream replays it. */
    private static List<JsonObject> replay(Api api) throws Exception {
        List<JsonObject> seen = Collections.synchronizedList(new ArrayList<>());
        HttpResponse<Stream<String>> sse = api.http().send(api.request("/api/v1/availability/events")
                .header("Last-Event-ID", "0").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(sse.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try {
                sse.body().filter(l -> l.startsWith("data: ")).map(l -> new JsonObject(l.substring(6))).forEach(seen::add);
            } catch (UncheckedIOException closed) {
                // closed below
            }
        });
        reader.setDaemon(true);
        reader.start();
        // the replay is written at once; a second is ample for what is already logged
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        sse.body().close();
        return List.copyOf(seen);
    }

    private static List<String> statuses(List<ConsumerRecord<String, CloudEvent>> availability) {
        return availability.stream().map(r -> new JsonObject(new String(r.value().getData().toBytes(),
                StandardCharsets.UTF_8)).getString("status")).toList();
    }
}
