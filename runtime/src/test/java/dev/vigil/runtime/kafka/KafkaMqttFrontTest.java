package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestBroker;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MQTT front of a cluster: two instances subscribe to the plant's broker (Debian's Mosquitto 2) on a shared
 * subscription, so the broker hands each frame to one of them; each forwards what it gets to the frames topic, and
 * the owners score them. Every frame published reaches the topic once, not once per instance, and is scored.
 */
@Tag("slow")
class KafkaMqttFrontTest {
    private static final List<String> MACHINES = List.of("cnc-q1", "cnc-q2", "cnc-q3", "cnc-q4");
    @TempDir
    static Path tmp;
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();

    @Test
    void eachFramePublishedOnMqttReachesTheFramesTopicOnceAndIsScored() throws Exception {
        int port = TestBroker.freePort();
        Path conf = Files.writeString(tmp.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1", "allow_anonymous true", "persistence false", ""));
        // Mosquitto started as root runs as its own user: it must read the file
        for (Path f : List.of(tmp, conf)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x"
                    : "rw-r--r--"));
        }
        Process broker = new ProcessBuilder("/usr/sbin/mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
        Vertx vertx = Vertx.vertx();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                assertThat(broker.isAlive()).as(Files.readString(tmp.resolve("mosquitto.log"))).isTrue();
                new Socket("127.0.0.1", port).close();
                return true;
            });
            List<TestServer> instances = new ArrayList<>();
            try {
                for (String name : List.of("vigil-a", "vigil-b")) {
                    instances.add(TestServer.start(Instances.config(tmp, kafka.bootstrap(), "mqtt-front", 4, name,
                            MACHINES, "mqtt: {host: 127.0.0.1, port: " + port + ", clientId: " + name + "-mqtt}\n")));
                }
                for (TestServer s : instances) {
                    Api api = s.api(null);
                    await().atMost(Duration.ofMinutes(1)).until(() -> api.get("/health/ready").statusCode() == 200);
                }
                long start = (System.currentTimeMillis() / 1000 - 20) * 1_000_000_000L;
                List<Frame> frames = new ArrayList<>();
                for (String m : MACHINES) {
                    frames.addAll(SecondFrames.live(m, Simulation.builder(CncSpec.defaults("spindle-7"))
                            .lifeDurationS(15).seed(MACHINES.indexOf(m)).build(), start));
                }
                MqttClient plant = MqttClient.create(vertx, new MqttClientOptions().setClientId("plant-gateway")
                        .setMaxInflightQueue(100_000).setMaxMessageSize(8 << 20));
                plant.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
                for (Frame f : frames) {
                    plant.publish("vigil/" + f.machineId() + "/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)),
                            MqttQoS.AT_LEAST_ONCE, false, false).await(10, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofMinutes(1)).until(() -> Instances.frameTopicEnds(admin).values().stream()
                        .mapToLong(Long::longValue).sum() >= frames.size());
                Instances.awaitCommittedToTheEnd(admin, "mqtt-front");
                assertThat(Instances.frameTopicEnds(admin).values().stream().mapToLong(Long::longValue).sum())
                        .as("every frame on the topic once: the instances share the subscription")
                        .isEqualTo(frames.size());
                for (String m : MACHINES) {
                    assertThat(instances.stream().mapToLong(s -> Instances.windows(s.api(null), m)).sum())
                            .as("%s scored", m).isPositive();
                }
                // a machine's frames reach the topic through both instances, interleaved: none of them was taken as
                // late (out of order beyond the windows' tolerance) or refused for another reason
                double taken = 0;
                for (TestServer s : instances) {
                    String metrics = s.api(null).get("/metrics").body();
                    assertThat(metrics.lines().filter(l -> l.startsWith("vigil_frames_refused_total"))
                            .filter(l -> !l.endsWith(" 0.0"))).as("frames refused").isEmpty();
                    taken += metrics.lines().filter(l -> l.startsWith("vigil_frames_total{transport=\"kafka\"}"))
                            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                }
                assertThat(taken).as("frames taken by the owners' scoring").isEqualTo(frames.size());
                plant.disconnect().await(10, TimeUnit.SECONDS);
            } finally {
                for (TestServer s : instances) {
                    s.close();
                }
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            broker.destroyForcibly();
        }
    }
}
