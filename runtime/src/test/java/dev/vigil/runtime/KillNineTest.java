package dev.vigil.runtime;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service in its own process, killed with SIGKILL (no shutdown hook, no flush) while it holds an
 * acknowledged, commented alert and an API-deployed model: a new service on the same files has all of it.
 */
@Tag("slow")
class KillNineTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledServiceLosesNothingItAcknowledged() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("models/spindle.zip"));
        byte[] candidate = Files.readAllBytes(TestModels.cnc("spindle-7", 77));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                alerts: {staleAfterSeconds: 1}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, tenant: acme, model: models/spindle.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", "spindle-7") + Api.tokenEntry("anna", "engineer", "anna")
                + Api.tokenEntry("root", "admin", "root"));
        long alertId;
        String deployed;
        int exit;
        try (ServiceProcess service = ServiceProcess.start(yaml)) {
            int port = service.port();
            Api anna = new Api("http://127.0.0.1:" + port, "anna");
            // live data, as a gateway sends it (the service refuses data older than scoring.catchUpHours)
            for (Frame f : SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(5).seed(3)
                    .start(java.time.Instant.now().minusSeconds(5)).build())) {
                assertThat(anna.as("gw").post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f)).statusCode())
                        .isEqualTo(202);
            }
            JsonArray alerts = await().atMost(java.time.Duration.ofSeconds(30)).until(
                    () -> new JsonObject(anna.get("/api/v1/alerts?machine=spindle-7").body()).getJsonArray("alerts"),
                    a -> !a.isEmpty());
            assertThat(alerts).as("the stream stopped: a stale-data alert").hasSize(1);
            alertId = alerts.getJsonObject(0).getLong("id");
            assertThat(anna.post("/api/v1/alerts/" + alertId + "/ack", "{}").statusCode()).isEqualTo(200);
            assertThat(anna.post("/api/v1/alerts/" + alertId + "/comments", "{\"text\":\"gateway rebooting\"}")
                    .statusCode()).isEqualTo(200);
            deployed = new JsonObject(anna.as("root").send(anna.as("root").request("/api/v1/machines/spindle-7/model")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(candidate))).body()).getJsonObject("active")
                    .getString("version");
            exit = service.kill();
        }
        assertThat(exit).as("killed, not stopped").isEqualTo(137);

        Vertx vertx = Vertx.vertx();
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer again = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api anna = new Api("http://127.0.0.1:" + again.port(), "anna");
            JsonObject alert = new JsonObject(anna.get("/api/v1/alerts/" + alertId).body());
            assertThat(alert.getBoolean("acknowledged")).isTrue();
            assertThat(alert.getString("acknowledgedBy")).isEqualTo("anna");
            assertThat(alert.getJsonArray("history").stream().map(h -> ((JsonObject) h).getString("event")).toList())
                    .containsExactly("raised", "acknowledged", "commented");
            assertThat(new JsonObject(anna.get("/api/v1/machines/spindle-7").body()).getString("model"))
                    .as("the model deployed before the kill").isEqualTo(deployed);
            again.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
