package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestBroker;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.config.MqttSettings;
import dev.vigil.runtime.config.MqttTopics;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shipped broker configuration, executed: Debian's Mosquitto 2 runs {@code deploy/mosquitto.conf} (only its
 * paths and ports changed for a test folder, its TLS listener given certificates made here) with
 * {@code deploy/mosquitto.acl} as shipped. Anonymous clients and wrong passwords are turned away; a gateway logged
 * in as its machine gets its frames scored; the same gateway publishing on another machine's topic is dropped by the
 * broker, so Vigil never sees it. (scripts/test installs Debian's mosquitto.)
 */
@Tag("slow")
class MosquittoAclTest {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    @TempDir
    Path tmp;

    private void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("tool.log").toFile())
                .start();
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + Files.readString(tmp.resolve("tool.log"))).isZero();
    }

    private static MqttClient client(Vertx vertx, String id, String user, String password) {
        MqttClientOptions o = new MqttClientOptions().setClientId(id).setMaxInflightQueue(10_000)
                .setMaxMessageSize(4 << 20);
        if (user != null) {
            o.setUsername(user).setPassword(password);
        }
        return MqttClient.create(vertx, o);
    }

    @Test
    void theShippedAclLetsAGatewayWriteOnlyItsOwnMachine() throws Exception {
        assertThat(MOSQUITTO).as("Debian's mosquitto (scripts/test installs it: apt-get install mosquitto)").exists();
        Path conf = tmp.resolve("config");
        Files.createDirectories(conf.resolve("tls"));
        Files.createDirectories(tmp.resolve("data"));
        Files.copy(Path.of("..", "deploy", "mosquitto.acl"), conf.resolve("mosquitto.acl"));
        // the TLS listener of the shipped file needs a CA, a broker certificate and its key
        Path tls = conf.resolve("tls");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=plant-ca",
                "-keyout", tls.resolve("ca.key").toString(), "-out", tls.resolve("ca.crt").toString());
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", tls.resolve("broker.key").toString(), "-out", tls.resolve("broker.csr").toString());
        run("openssl", "x509", "-req", "-in", tls.resolve("broker.csr").toString(), "-CA", tls.resolve("ca.crt").toString(),
                "-CAkey", tls.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-out", tls.resolve("broker.crt").toString());
        Path passwd = conf.resolve("mosquitto.passwd");
        run("mosquitto_passwd", "-c", "-b", passwd.toString(), "vigil", "vigil-secret");
        run("mosquitto_passwd", "-b", passwd.toString(), "spindle-1", "gw1-secret");
        run("mosquitto_passwd", "-b", passwd.toString(), "spindle-2", "gw2-secret");
        int plain = TestBroker.freePort();
        int secure = TestBroker.freePort();
        String shipped = Files.readString(Path.of("..", "deploy", "mosquitto.conf"));
        String text = shipped.replace("/mosquitto/config/", conf + "/").replace("/mosquitto/data/", tmp.resolve("data") + "/")
                .replace("listener 1883", "listener " + plain + " 127.0.0.1")
                .replace("listener 8883", "listener " + secure + " 127.0.0.1");
        assertThat(text).as("the test changes only paths and ports").doesNotContain("/mosquitto/", "1883\n", "8883\n");
        Files.writeString(conf.resolve("mosquitto.conf"), text);
        // started as root (as on the build machines), Mosquitto drops to its own user: it must be able to read the
        // configuration and write its data folder here, as it can in the compose file's volumes
        try (var files = Files.walk(tmp)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxrwxrwx" : "rw-r--r--"));
            }
        }
        Process broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
        Vertx vertx = Vertx.vertx();
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                assertThat(broker.isAlive()).as(Files.readString(tmp.resolve("mosquitto.log"))).isTrue();
                new Socket("127.0.0.1", plain).close();
                return true;
            });
            assertThatThrownBy(() -> client(vertx, "anonymous", null, null).connect(plain, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS)).as("anonymous").isNotNull();
            assertThatThrownBy(() -> client(vertx, "guess", "spindle-1", "wrong").connect(plain, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS)).as("a wrong password").isNotNull();

            var model = Bundle.read(TestModels.cnc("spindle-7")).model();
            MachineStream one = new MachineStream("spindle-1", model, 0.2);
            MachineStream two = new MachineStream("spindle-2", model, 0.2);
            FrameScoring scoring = FrameScoring.scoreOnly();
            vertx.deployVerticle(new MqttIngestVerticle(new MqttSettings("127.0.0.1", plain, "vigil", "vigil-secret",
                    MqttTopics.DEFAULT, "vigil-acl-test", true, null), Map.of("spindle-1", one, "spindle-2", two),
                    1 << 20, scoring)).await(20, TimeUnit.SECONDS);

            MqttClient gw1 = client(vertx, "gw-1", "spindle-1", "gw1-secret");
            gw1.connect(plain, "127.0.0.1").await(10, TimeUnit.SECONDS);
            List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(4)
                    .seed(71).build());
            List<Frame> forged = new ArrayList<>();
            for (Frame f : frames) {
                gw1.publish("vigil/spindle-1/" + f.channel(), Buffer.buffer(FrameCodec.encode(new Frame("spindle-1",
                        f.channel(), f.startNanos(), f.sampleRateHz(), f.samples()))), MqttQoS.AT_LEAST_ONCE, false, false)
                        .await(10, TimeUnit.SECONDS);
                // spindle-1's gateway writing spindle-2's topic: the ACL drops it at the broker
                Frame other = new Frame("spindle-2", f.channel(), f.startNanos(), f.sampleRateHz(), f.samples());
                forged.add(other);
                gw1.publish("vigil/spindle-2/" + f.channel(), Buffer.buffer(FrameCodec.encode(other)),
                        MqttQoS.AT_LEAST_ONCE, false, false).await(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> one.windows() > 0
                    && scoring.metrics().meters().get("vigil.frames").counter().count() >= frames.size());
            // and nothing more arrives: the forged frames never reached Vigil
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    scoring.metrics().meters().get("vigil.frames").counter().count() == frames.size());
            assertThat(two.windows()).as("spindle-2 got nothing from spindle-1's gateway").isZero();

            // spindle-2's own gateway is let through
            MqttClient gw2 = client(vertx, "gw-2", "spindle-2", "gw2-secret");
            gw2.connect(plain, "127.0.0.1").await(10, TimeUnit.SECONDS);
            for (Frame f : forged) {
                gw2.publish("vigil/spindle-2/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)), MqttQoS.AT_LEAST_ONCE,
                        false, false).await(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> two.windows() > 0);
            gw1.disconnect().await(10, TimeUnit.SECONDS);
            gw2.disconnect().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
