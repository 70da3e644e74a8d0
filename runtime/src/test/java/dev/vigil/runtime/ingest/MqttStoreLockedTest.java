package dev.vigil.runtime.ingest;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestBroker;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.Twins;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.moquette.broker.Server;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A frame that fails over MQTT for a reason of Vigil's own is not acknowledged: the store is locked for longer than
 * its busy timeout while a fault's alarm rises from frames arriving through a real broker (Moquette). The frames
 * that could not be committed are refused internally (counted as {@code mqtt-internal}), not acknowledged, and the
 * broker delivers them again on the new connection; once the store is free, nothing is missing: the machine has
 * exactly the windows of a twin fed the same frames over HTTP, with the same sensor issues, one alert, raised once.
 * With the frame acknowledged instead (tried), the frames refused before their commit are lost: two windows of a
 * dropout the twin does not have.
 */
@Tag("slow")
class MqttStoreLockedTest {
    @TempDir
    Path tmp;

    private static double refused(Api api, String reason) throws Exception {
        Matcher m = Pattern.compile("vigil_frames_refused_total\\{reason=\"" + reason + "\"[^}]*} ([0-9.E]+)")
                .matcher(api.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Each recent window's sensor issue (or "none"), in order. */
    private static List<String> sensorIssues(Api api, String machine) throws Exception {
        JsonArray windows = new JsonObject(api.get("/api/v1/machines/" + machine + "/recent").body())
                .getJsonArray("windows");
        return windows.stream().map(w -> ((JsonObject) w).getString("sensorIssue", "none")).toList();
    }

    @Test
    void framesThatFailInternallyAreRedeliveredAndNothingIsLost() throws Exception {
        Server broker = TestBroker.start(TestBroker.settings(tmp.resolve("broker"), 0));
        int port = broker.getPort();
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        String twin = Twins.of("mq-7", "twin");
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                alerts: {staleAfterSeconds: 3600}
                mqtt: {host: 127.0.0.1, port: %d, clientId: vigil-locked-test}
                machines:
                  - {id: mq-7, model: m.zip}
                  - {id: %s, model: m.zip}
                auth: {disabled: true}
                """.formatted(port, twin));
        int seconds = 30;
        List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(seconds)
                .seed(9).fault(new FaultSpec(FaultType.IMBALANCE, 0, 1, Progression.STEP, 1, null, 0))
                .start(Instant.now().minusSeconds(seconds)).build());
        Vertx vertx = Vertx.vertx();
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            MqttClient gateway = MqttClient.create(vertx, new MqttClientOptions().setClientId("gateway-mq-7")
                    .setMaxInflightQueue(10_000).setMaxMessageSize(4 << 20));
            gateway.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
            // ready includes the broker's confirmation of Vigil's subscription: what the gateway publishes reaches it
            assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"));
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                for (Frame f : frames) {
                    gateway.publish("vigil/mq-7/" + f.channel(), Buffer.buffer(FrameCodec.encode(new Frame("mq-7",
                                    f.channel(), f.startNanos(), f.sampleRateHz(), f.samples()))), MqttQoS.AT_LEAST_ONCE,
                            false, false).await(10, TimeUnit.SECONDS);
                }
                // held until Vigil has failed three times to commit (each after the 5 s busy timeout): the first
                // failure's frame was assembled before its commit failed, the later ones were refused before it, so
                // they are what an acknowledgement would lose
                await().atMost(Duration.ofSeconds(120)).until(() -> refused(api, "mqtt-internal") >= 3);
                s.execute("COMMIT");
            }
            for (Frame f : frames) {
                assertThat(api.post("/api/v1/machines/" + twin + "/frames", FrameCodec.encode(new Frame(twin, f.channel(),
                        f.startNanos(), f.sampleRateHz(), f.samples()))).statusCode()).isEqualTo(202);
            }
            long expected = new JsonObject(api.get("/api/v1/machines/" + twin).body()).getLong("windows");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(
                    new JsonObject(api.get("/api/v1/machines/mq-7").body()).getLong("windows")).isEqualTo(expected));

            // the same windows with the same data: no window of mq-7 misses a channel (a frame acknowledged and
            // dropped would leave a dropout in one or two windows, too few for a sensor alert)
            assertThat(sensorIssues(api, "mq-7")).isEqualTo(sensorIssues(api, twin));
            JsonArray alerts = new JsonObject(api.get("/api/v1/alerts?machine=mq-7&open=false").body())
                    .getJsonArray("alerts");
            assertThat(alerts.stream().map(a -> ((JsonObject) a).getString("category")))
                    .as("one machine alert, no sensor dropout: " + alerts.encode()).containsExactly("machine");
            long id = alerts.getJsonObject(0).getLong("id");
            JsonArray history = new JsonObject(api.get("/api/v1/alerts/" + id).body()).getJsonArray("history");
            assertThat(history.stream().map(h -> ((JsonObject) h).getString("event")).filter("raised"::equals))
                    .as(history.encode()).hasSize(1);
            gateway.disconnect().await(10, TimeUnit.SECONDS);
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            broker.stopServer();
        }
    }
}
