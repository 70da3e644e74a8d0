package dev.vigil.runtime.score;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploaded bundles do not pile up: after eight deployments the models folder holds the newest five versions of the
 * machine (the active one and the one to roll back to among them), a rollback still works, a restart still scores
 * with the active one, and an upload a crash left half-copied is deleted at start.
 */
class BundleCleanupTest {
    @TempDir
    Path tmp;

    private static List<String> bundles(Path models) throws Exception {
        try (Stream<Path> files = Files.list(models)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("spindle-7-[0-9a-f]{12}\\.zip"))
                    .sorted().toList();
        }
    }

    private VigilServer start(Vertx vertx, Path yaml) throws Exception {
        RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
        return new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
    }

    @Test
    void onlyTheNewestVersionsOfAMachineAreKept() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        byte[] bundle = Files.readAllBytes(tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                  - {id: spindle-7-b, model: m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("root", "admin", "root"));
        Path models = tmp.resolve("data/models");
        Vertx vertx = Vertx.vertx();
        try {
            VigilServer server = start(vertx, yaml);
            Api root = new Api("http://127.0.0.1:" + server.port(), "root");
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // the same model with bytes after the zip's end: another file, another version, still a valid bundle
                byte[] variant = Arrays.copyOf(bundle, bundle.length + 8);
                System.arraycopy(("variant" + i).getBytes(StandardCharsets.US_ASCII), 0, variant, bundle.length, 8);
                HttpResponse<String> r = root.send(root.request("/api/v1/machines/spindle-7/model")
                        .header("content-type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(variant)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                versions.add(new JsonObject(r.body()).getJsonObject("active").getString("version"));
            }
            List<String> kept = versions.subList(3, 8).stream().map(v -> "spindle-7-" + v + ".zip").sorted().toList();
            assertThat(bundles(models)).as("the newest five, and no other machine's").containsExactlyElementsOf(kept);
            assertThat(models.resolve("spindle-7-b-" + ModelVersion.of(tmp.resolve("m.zip")) + ".zip"))
                    .as("another machine whose id starts the same keeps its bundle").exists();
            HttpResponse<String> back = root.post("/api/v1/machines/spindle-7/model/rollback", "{}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(new JsonObject(back.body()).getJsonObject("active").getString("version")).isEqualTo(versions.get(6));
            server.stop().await(20, TimeUnit.SECONDS);

            Files.write(models.resolve(".upload-123.partial"), new byte[1 << 20]);
            server = start(vertx, yaml);
            Api again = new Api("http://127.0.0.1:" + server.port(), "root");
            assertThat(new JsonObject(again.get("/api/v1/machines/spindle-7/model").body()).getJsonObject("active")
                    .getString("version")).isEqualTo(versions.get(6));
            assertThat(models.resolve(".upload-123.partial")).doesNotExist();
            assertThat(bundles(models)).hasSizeLessThanOrEqualTo(6).containsAll(kept);
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
