package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private static List<String> statuses(List<ConsumerRecord<String, CloudEvent>> availability) {
        return availability.stream().map(r -> new JsonObject(new String(r.value().getData().toBytes(),
                StandardCharsets.UTF_8)).getString("status")).toList();
    }
}
