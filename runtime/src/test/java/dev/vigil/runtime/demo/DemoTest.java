package dev.vigil.runtime.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code vigil demo} end to end, with less healthy data per model so that training stays short: the models are
 * trained, the whole fleet streams (WebSocket and MQTT machines alike) and is scored, the reference scheduler hears
 * of every machine, and a second start reuses the models with a fresh store.
 */
@Tag("slow")
class DemoTest {
    @TempDir
    Path tmp;

    private static JsonObject get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    @Test
    void theDemoTrainsStreamsTheWholeFleetAndRestartsFromItsModels() throws Exception {
        Path dir = tmp.resolve("demo");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, FileTime> trained = new HashMap<>();
        for (int run = 0; run < 2; run++) {
            Demo demo = new Demo(dir, new Demo.Ports(0, 0, 0), new PrintStream(console, true, StandardCharsets.UTF_8), 120);
            try {
                demo.start();
                String token = demo.engineerToken();
                String base = "http://127.0.0.1:" + demo.httpPort();
                assertThat(console.toString(StandardCharsets.UTF_8)).contains(base + "/dashboard/#token=" + token)
                        .contains("spindle-2").contains("outer-race");
                // every machine is scored, whichever way its gateway sends
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    JsonArray machines = get(http, base + "/api/v1/machines", token).getJsonArray("machines");
                    assertThat(machines).hasSize(6);
                    for (Object o : machines) {
                        assertThat(((JsonObject) o).getLong("windows")).as(((JsonObject) o).getString("id")).isPositive();
                    }
                });
                // the reference scheduler heard of every machine through the signed webhooks
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        get(http, "http://127.0.0.1:" + demo.schedulerPort() + "/state", null).encode())
                        .contains("spindle-1", "spindle-2", "spindle-3", "spindle-4", "robot-1", "robot-2"));
                // ... and confirmed each decision back, which engineers see
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (Object o : get(http, base + "/api/v1/availability", token).getJsonArray("machines")) {
                        assertThat(((JsonObject) o).getJsonObject("schedulerAck")).as(((JsonObject) o).encode()).isNotNull();
                    }
                });
                if (run == 0) {
                    try (var models = Files.list(dir.resolve("models"))) {
                        for (Path m : models.toList()) {
                            trained.put(m.getFileName().toString(), Files.getLastModifiedTime(m));
                        }
                    }
                    assertThat(trained).hasSize(6);
                } else {
                    for (var e : trained.entrySet()) {
                        assertThat(Files.getLastModifiedTime(dir.resolve("models").resolve(e.getKey())))
                                .as("reused, not retrained: " + e.getKey()).isEqualTo(e.getValue());
                    }
                }
            } finally {
                demo.stop();
            }
        }
    }
}
