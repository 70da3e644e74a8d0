package dev.vigil.runtime.scheduler;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.ops.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A scheduler that never answers: its messages are retried, then dead, and that shows in the API and metrics. */
@Tag("slow")
class DeadLetterTest {
    @TempDir
    Path tmp;

    @Test
    void messagesAnEndpointNeverTakesEndDeadAndVisible() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();  // nothing listens here once the socket is closed
        }
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                recording: {enabled: false}
                scheduler:
                  deadAfterHours: 0.0005
                  endpoints:
                    - {name: gone, url: "http://127.0.0.1:%d/hooks", secret: a-long-shared-webhook-secret}
                machines:
                  - {id: spindle-7, model: m.zip}
                auth:
                  tokens:
                """.formatted(closed) + Api.tokenEntry("root", "admin", "root"));
        Metrics metrics = Metrics.create();
        Vertx vertx = Vertx.vertx();
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC(), metrics).start().await(60, TimeUnit.SECONDS);
            Api root = new Api("http://127.0.0.1:" + server.port(), "root");
            JsonObject hooks = await().atMost(java.time.Duration.ofSeconds(30)).until(
                    () -> new JsonObject(root.get("/api/v1/webhooks").body()),
                    h -> h.getJsonObject("counts").containsKey("gone/dead"));
            assertThat(hooks.getJsonObject("counts").getLong("gone/dead")).as("the offline announcement").isEqualTo(1);
            JsonObject dead = hooks.getJsonArray("dead").getJsonObject(0);
            assertThat(dead.getString("type")).isEqualTo("vigil.machine.status.changed");
            assertThat(dead.getInteger("attempts")).as("retried before giving up").isGreaterThan(1);
            assertThat(dead.getString("lastError")).isNotBlank();
            assertThat(root.get("/metrics").body()).contains("vigil_webhooks{endpoint=\"gone\",state=\"dead\"} 1.0");
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
