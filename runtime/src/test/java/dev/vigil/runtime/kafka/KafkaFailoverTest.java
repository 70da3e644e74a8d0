package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.ServiceProcess;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of a cluster share six machines through a real KRaft broker; one, in its own JVM, is killed with
 * SIGKILL. The other is given its partitions within the group's session timeout and scores every machine from the
 * last committed offsets: nothing published is left unscored.
 */
@Tag("slow")
class KafkaFailoverTest {
    /**
     * Six machines on at least four of the six partitions: however the group splits the partitions three and
     * three, each instance owns some of them.
     */
    private static final List<String> MACHINES = machines();

    private static List<String> machines() {
        List<String> chosen = new java.util.ArrayList<>();
        java.util.Set<Integer> partitions = new java.util.HashSet<>();
        for (int i = 0; chosen.size() < 6; i++) {
            String m = "cnc-f" + i;
            // Kafka's default partitioner for a keyed record
            int p = Utils.toPositive(Utils.murmur2(m.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 6;
            if (partitions.add(p) || partitions.size() >= 4) {
                chosen.add(m);
            }
        }
        return chosen;
    }
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    private static Path config(String instance) throws Exception {
        return Instances.config(tmp, kafka.bootstrap(), "failover", 6, instance, MACHINES, "");
    }

    @Test
    void aKilledInstancesMachinesAreScoredByTheOtherFromTheLastCommit() throws Exception {
        long start = (System.currentTimeMillis() / 1000 - 30) * 1_000_000_000L;
        Map<String, List<Frame>> frames = new HashMap<>();
        for (String m : MACHINES) {
            frames.put(m, SecondFrames.live(m, Simulation.builder(CncSpec.defaults(m)).lifeDurationS(30).seed(9)
                    .build(), start));
        }
        try (ServiceProcess a = ServiceProcess.start(config("vigil-a"));
             TestServer b = TestServer.start(config("vigil-b"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
             KafkaProducer<String, byte[]> gateway = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrap(),
                     "enable.idempotence", true, "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            Api apiA = new Api("http://127.0.0.1:" + a.port(), null);
            Api apiB = b.api(null);
            // both in the group, each with a share of the six partitions
            await().atMost(Duration.ofMinutes(1)).until(() -> apiA.get("/health/ready").statusCode() == 200
                    && apiB.get("/health/ready").statusCode() == 200);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("failover")).all().get(30, TimeUnit.SECONDS)
                        .get("failover");
                return group.members().size() == 2 && group.members().stream()
                        .allMatch(m -> Instances.frames(m.assignment()) == 3);
            });

            int half = frames.get(MACHINES.get(0)).size() / 2;
            publish(gateway, frames, 0, half);
            Instances.awaitCommittedToTheEnd(admin, "failover");
            long scoredByA = MACHINES.stream().mapToLong(m -> Instances.windows(apiA, m)).sum();
            long scoredByB = MACHINES.stream().mapToLong(m -> Instances.windows(apiB, m)).sum();
            assertThat(scoredByA).as("instance a scored its share").isPositive();
            assertThat(scoredByB).as("instance b scored its share").isPositive();

            long killed = System.nanoTime();
            a.kill();
            publish(gateway, frames, half, frames.get(MACHINES.get(0)).size());
            // b takes a's partitions once a misses its heartbeats, and scores from a's last commit
            Instances.awaitCommittedToTheEnd(admin, "failover");
            double pause = (System.nanoTime() - killed) / 1e9;
            assertThat(pause).as("seconds from the kill until every frame was scored").isLessThan(30);
            for (String m : MACHINES) {
                assertThat(Instances.windows(apiB, m)).as("%s scored by b after the kill", m).isPositive();
            }
            assertThat(MACHINES.stream().mapToLong(m -> Instances.windows(apiB, m)).sum())
                    .as("b scored a's machines too, not only its own").isGreaterThan(scoredByB + 6);
        }
    }

    private static void publish(KafkaProducer<String, byte[]> gateway, Map<String, List<Frame>> frames, int from, int to) {
        for (int i = from; i < to; i++) {
            for (String m : MACHINES) {
                gateway.send(new ProducerRecord<>("vigil.frames", m, FrameCodec.encode(frames.get(m).get(i))));
            }
        }
        gateway.flush();
    }
}
