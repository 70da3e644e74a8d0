package dev.vigil.runtime.score;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployed bundle is kept durably (written beside its final name, forced, renamed), and when the active bundle
 * cannot be read at start the machine falls back to the one before it, says so in its deployments and raises a
 * sensor alert, instead of the whole service refusing to start (which systemd would repeat forever).
 */
class ModelFallbackTest {
    @TempDir
    Path tmp;

    @Test
    void aCorruptActiveBundleFallsBackToThePreviousOneAtStart() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                auth: {disabled: true}
                """);
        Vertx vertx = Vertx.vertx();
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            String configured = new JsonObject(api.get("/api/v1/machines/spindle-7/model").body())
                    .getJsonObject("active").getString("version");
            HttpResponse<String> deployed = api.send(api.request("/api/v1/machines/spindle-7/model")
                    .header("content-type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofFile(TestModels.cnc("spindle-7", 77))));
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
            String version = new JsonObject(deployed.body()).getJsonObject("active").getString("version");
            assertThat(version).isNotEqualTo(configured);
            server.stop().await(20, TimeUnit.SECONDS);

            Path models = tmp.resolve("data/models");
            try (Stream<Path> files = Files.list(models)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                        .noneMatch(n -> n.endsWith(".partial"));
            }
            // the disk corrupts the deployed bundle while the service is down
            Path active = models.resolve("spindle-7-" + version + ".zip");
            byte[] bytes = Files.readAllBytes(active);
            for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
                bytes[i] ^= 0x5a;
            }
            Files.write(active, bytes);

            VigilServer again = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api api2 = new Api("http://127.0.0.1:" + again.port(), null);
            JsonObject model = new JsonObject(api2.get("/api/v1/machines/spindle-7/model").body());
            assertThat(model.getJsonObject("active").getString("version")).isEqualTo(configured);
            assertThat(model.getJsonArray("deployments").getJsonObject(0).getString("action")).isEqualTo("fallback");
            JsonArray alerts = new JsonObject(api2.get("/api/v1/alerts?machine=spindle-7").body()).getJsonArray("alerts");
            assertThat(alerts).hasSize(1);
            assertThat(alerts.getJsonObject(0).getString("fault")).isEqualTo("model-fallback");
            assertThat(alerts.getJsonObject(0).getJsonObject("evidence").getString("problem"))
                    .contains("cannot be read", "fell back to spindle-7-" + configured);
            again.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
