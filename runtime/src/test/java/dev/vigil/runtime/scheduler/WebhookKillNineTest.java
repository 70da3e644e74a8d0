package dev.vigil.runtime.scheduler;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.ServiceProcess;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vigil in its own process is SIGKILLed while a slow scheduler is taking its webhooks; a new Vigil on the same
 * files delivers the rest: every event arrives, in order per machine, duplicates only as the same event id.
 */
@Tag("slow")
class WebhookKillNineTest {
    static final String SECRET = "a-long-shared-webhook-secret";
    @TempDir
    Path tmp;

    private static void awaitStatus(Api api, String status) {
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> status.equals(new JsonObject(
                api.get("/api/v1/availability/spindle-7").body()).getString("status")));
    }

    @Test
    void killedMidDeliveryTheRestIsDeliveredAfterARestart() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Vertx vertx = Vertx.vertx();
        ServiceProcess service = null;
        try {
            ReferenceScheduler platform = new ReferenceScheduler(SECRET, 0);
            vertx.deployVerticle(platform).await(10, TimeUnit.SECONDS);
            platform.setDelayMillis(1500);
            Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                    http: {host: 127.0.0.1, port: 0}
                    storage: {path: data/vigil.db}
                    alerts: {staleAfterSeconds: 1}
                    recording: {enabled: false}
                    scheduler:
                      endpoints:
                        - {name: platform, url: "http://127.0.0.1:%d/hooks", secret: %s}
                    machines:
                      - {id: spindle-7, tenant: acme, model: m.zip}
                    auth:
                      tokens:
                    """.formatted(platform.actualPort(), SECRET)
                    + Api.tokenEntry("gw", "device", "gw", "spindle-7") + Api.tokenEntry("anna", "engineer", "anna"));
            service = ServiceProcess.start(yaml);
            int port = service.port();
            Api anna = new Api("http://127.0.0.1:" + port, "anna");
            awaitStatus(anna, "offline");  // announced: no data yet
            long start = System.currentTimeMillis() * 1_000_000L - 3_000_000_000L;
            for (Frame f : SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(3).seed(4).build())) {
                Frame live = new Frame(f.machineId(), f.channel(), start + f.startNanos() - 1_767_225_600_000_000_000L,
                        f.sampleRateHz(), f.samples());
                assertThat(anna.as("gw").post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(live)).statusCode())
                        .isEqualTo(202);
            }
            await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> !new JsonObject(anna.get("/api/v1/alerts").body()).getJsonArray("alerts").isEmpty());
            awaitStatus(anna, "offline");  // and the slow scheduler is mid-way through the messages
            await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(50))
                    .until(() -> !platform.received().getOrDefault("spindle-7", List.of()).isEmpty());
            service.kill();
            int before = platform.received().getOrDefault("spindle-7", List.of()).size();

            platform.setDelayMillis(0);
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer again = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> platform.received().getOrDefault("spindle-7", List.of()).size() >= 4);
            List<String> got = platform.received().get("spindle-7");
            System.out.printf("delivered before the kill: %d of %d%n", before, got.size());
            assertThat(before).as("killed in the middle of delivery").isLessThan(got.size());
            assertThat(got.stream().filter(e -> e.startsWith("status:")).toList())
                    .containsExactly("status:offline", "status:available", "status:offline");
            assertThat(got.stream().filter(e -> e.startsWith("alert.")).toList()).containsExactly("alert.raised");
            assertThat(platform.excluded()).containsExactly("spindle-7");
            again.stop().await(20, TimeUnit.SECONDS);
        } finally {
            if (service != null) {
                service.close();
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
