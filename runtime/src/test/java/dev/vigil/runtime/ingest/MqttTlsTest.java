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
import io.moquette.broker.Server;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * MQTT over TLS with client certificates: a broker (Moquette) that accepts only clients whose certificate it trusts;
 * Vigil verifies the broker's certificate against the configured CA and host name, presents its own, and scores
 * what a gateway publishes. Without its certificate, Vigil is turned away.
 */
@Tag("slow")
class MqttTlsTest {
    @TempDir
    Path tmp;

    private void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("keytool.log").toFile())
                .start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }

    @Test
    void vigilSubscribesOverTlsWithItsClientCertificate() throws Exception {
        String server = tmp.resolve("broker.jks").toString();
        String client = tmp.resolve("vigil.p12").toString();
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "JKS", "-keystore", server,
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", server, "-storepass", "changeit",
                "-file", tmp.resolve("broker-ca.pem").toString());
        keytool("-genkeypair", "-alias", "vigil", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=vigil-edge-1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", client, "-storepass", "changeit");
        keytool("-exportcert", "-alias", "vigil", "-keystore", client, "-storepass", "changeit",
                "-file", tmp.resolve("vigil.cer").toString());
        // the broker trusts the client certificates in its key store
        keytool("-importcert", "-noprompt", "-alias", "vigil-client", "-file", tmp.resolve("vigil.cer").toString(),
                "-keystore", server, "-storepass", "changeit");

        Properties p = TestBroker.settings(tmp.resolve("broker"), 0);
        p.setProperty("ssl_port", "0");
        p.setProperty("jks_path", server);
        p.setProperty("key_store_type", "jks");
        p.setProperty("key_store_password", "changeit");
        p.setProperty("key_manager_password", "changeit");
        p.setProperty("need_client_auth", "true");
        Server broker = TestBroker.start(p);
        int tlsPort = broker.getSslPort();
        Vertx vertx = Vertx.vertx();
        try {
            MachineStream machine = new MachineStream("spindle-7", Bundle.read(TestModels.cnc("spindle-7")).model(), 0.2);
            MqttSettings.Tls tls = new MqttSettings.Tls(tmp.resolve("broker-ca.pem"), null, null, Path.of(client),
                    "changeit", true);
            FrameScoring scoring = FrameScoring.scoreOnly();
            MqttSettings settings = new MqttSettings("localhost", tlsPort, null, null, MqttTopics.DEFAULT, "vigil-edge-1",
                    true, tls);

            // no client certificate: the broker turns Vigil away
            MqttSettings.Tls noCert = new MqttSettings.Tls(tmp.resolve("broker-ca.pem"), null, null, null, null, true);
            assertThatThrownBy(() -> vertx.deployVerticle(new MqttIngestVerticle(new MqttSettings("localhost", tlsPort,
                    null, null, MqttTopics.DEFAULT, "vigil-edge-0", true, noCert), Map.of("spindle-7", machine), 1 << 20,
                    scoring)).await(20, TimeUnit.SECONDS)).isNotNull();

            vertx.deployVerticle(new MqttIngestVerticle(settings, Map.of("spindle-7", machine), 1 << 20, scoring))
                    .await(20, TimeUnit.SECONDS);
            MqttClient gateway = MqttClient.create(vertx, new MqttClientOptions().setClientId("gateway-7")
                    .setMaxInflightQueue(10_000).setMaxMessageSize(4 << 20).setSsl(true)
                    .setHostnameVerificationAlgorithm("HTTPS")
                    .setTrustOptions(new PemTrustOptions().addCertPath(tmp.resolve("broker-ca.pem").toString()))
                    .setKeyCertOptions(new PfxOptions().setPath(client).setPassword("changeit")));
            gateway.connect(tlsPort, "localhost").await(20, TimeUnit.SECONDS);
            int published = 0;
            for (Frame f : SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(4).seed(65)
                    .build())) {
                gateway.publish("vigil/spindle-7/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)),
                        MqttQoS.AT_LEAST_ONCE, false, false).await(10, TimeUnit.SECONDS);
                published++;
            }
            int frames = published;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(scoring.metrics().meters().get("vigil.frames").counter().count()).isEqualTo(frames));
            assertThat(machine.windows()).isPositive();
            gateway.disconnect().await(10, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            broker.stopServer();
        }
    }
}
