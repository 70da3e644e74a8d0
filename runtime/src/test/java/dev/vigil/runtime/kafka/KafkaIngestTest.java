package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One instance of a cluster against a real KRaft broker: it makes the topics, joins its group, scores the frames
 * gateways publish (keyed by machine id), passes over the ones it must refuse, commits only what it scored, and
 * forwards the frames its HTTP front takes to the topic.
 */
@Tag("slow")
class KafkaIngestTest {
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    @Test
    void framesPublishedToTheTopicAreScoredCommittedAndRefusedOnesPassedOver() throws Exception {
        Path model = TestModels.cnc("spindle-7").toAbsolutePath();
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                auth: {disabled: true}
                kafka: {bootstrapServers: "%s", group: ingest-test, instance: vigil-a, partitions: 4}
                machines:
                  - {id: cnc-k1, model: %s}
                  - {id: cnc-k2, model: %s}
                """.formatted(kafka.bootstrap(), model, model));
        try (TestServer server = TestServer.start(yaml);
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
             KafkaProducer<String, byte[]> gateway = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                     "enable.idempotence", true, "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("vigil.frames", "vigil.state",
                    "vigil.commands", "vigil.alerts", "vigil.availability");
            Api api = server.api(null);
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/health/ready").statusCode() == 200);

            long start = (System.currentTimeMillis() / 1000 - 20) * 1_000_000_000L;
            int sent = 0;
            for (String machine : List.of("cnc-k1", "cnc-k2")) {
                Simulation sim = Simulation.builder(CncSpec.defaults(machine)).lifeDurationS(20).seed(5).build();
                for (Frame f : SecondFrames.live(machine, sim, start)) {
                    gateway.send(new ProducerRecord<>("vigil.frames", machine, FrameCodec.encode(f)));
                    sent++;
                }
            }
            // refused: bytes that are no frame, a machine nobody configured, a key that is not the frame's machine
            gateway.send(new ProducerRecord<>("vigil.frames", "cnc-k1", "garbage".getBytes()));
            gateway.send(new ProducerRecord<>("vigil.frames", "cnc-x", new byte[]{1}));
            Frame k2 = SecondFrames.live("cnc-k2", Simulation.builder(CncSpec.defaults("cnc-k2")).lifeDurationS(2)
                    .seed(6).build(), start).get(0);
            gateway.send(new ProducerRecord<>("vigil.frames", "cnc-k1", FrameCodec.encode(k2)));
            gateway.flush();

            // every frame read, its machine's windows scored, the offsets committed to the end of every partition
            assertThat(Instances.frameTopicEnds(admin).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(sent + 3);
            Instances.awaitCommittedToTheEnd(admin, "ingest-test");
            for (String machine : List.of("cnc-k1", "cnc-k2")) {
                JsonObject m = new JsonObject(api.get("/api/v1/machines/" + machine).body());
                // 20 s of a spindle: its windows, every one (the committed offsets say the frames were all read)
                assertThat(m.getLong("windows")).as(machine).isGreaterThanOrEqualTo(15);
                assertThat(m.getString("status")).as(machine).isNotEqualTo("no-data");
            }
            String metrics = api.get("/metrics").body();
            assertThat(metrics).containsPattern("transport=\"kafka\"");

            // what an instance's HTTP front takes goes to the topic, to the machine's owner (here, itself), in order
            long windowsBefore = new JsonObject(api.get("/api/v1/machines/cnc-k1").body()).getLong("windows");
            Simulation more = Simulation.builder(CncSpec.defaults("cnc-k1")).lifeDurationS(24).seed(5).build();
            List<Frame> next = SecondFrames.live("cnc-k1", more, start).stream()
                    .filter(f -> f.startNanos() >= start + 20_000_000_000L).toList();
            for (Frame f : next) {
                var r = api.post("/api/v1/machines/cnc-k1/frames", FrameCodec.encode(f));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                assertThat(new JsonObject(r.body()).getString("forwardedTo")).isEqualTo("kafka topic vigil.frames");
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> new JsonObject(api.get("/api/v1/machines/cnc-k1").body())
                    .getLong("windows") >= windowsBefore + 3);
            // tabular readings are not for a cluster: said so
            var readings = api.post("/api/v1/machines/cnc-k1/readings", "{\"rows\": []}");
            assertThat(readings.statusCode()).isEqualTo(409);
            assertThat(readings.body()).contains("single box");
        }
    }
}
