package dev.vigil.runtime.scheduler;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The moment {@code /health/ready} answers 200, a scheduler can ask about every configured machine and gets its
 * honest state: on a fresh store every machine is {@code offline} with no data since start (not 404, not an empty
 * list); after a restart a machine that was {@code available} but has sent nothing since is {@code offline}, not the
 * stored {@code available} of the previous run; a machine no longer configured is not listed.
 */
class ReadyMeansReadyTest {
    @TempDir
    Path tmp;

    private RuntimeConfig config(Vertx vertx, String machines, String... ids) throws Exception {
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                alerts: {staleAfterSeconds: 30}
                recording: {enabled: false}
                scheduler: {recoveryMinutes: 0}
                machines:
                """ + machines + """
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", ids)
                + Api.tokenEntry("plat", "scheduler", "plat"));
        return ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
    }

    /** Starts the service and asks, at the first moment it is ready, for the list and for each machine. */
    private static JsonArray atFirstReadyMoment(Api sched, VigilServer server, List<String> ids) throws Exception {
        assertThat(sched.get("/health/ready").statusCode()).isEqualTo(200);
        JsonArray list = new JsonObject(sched.get("/api/v1/availability").body()).getJsonArray("machines");
        for (String id : ids) {
            HttpResponse<String> one = sched.get("/api/v1/availability/" + id);
            assertThat(one.statusCode()).as(id + ": " + one.body()).isEqualTo(200);
            assertThat(new JsonObject(one.body()).getString("status")).as(one.body()).isEqualTo("offline");
            assertThat(new JsonObject(one.body()).getString("reason")).as(one.body()).contains("no data since Vigil started");
        }
        return list;
    }

    @Test
    void everyConfiguredMachineHasItsHonestStateFromTheFirstReadyMoment() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Vertx vertx = Vertx.vertx();
        try {
            String both = """
                      - {id: spindle-7, model: m.zip}
                      - {id: spindle-8, model: m.zip}
                    """;
            VigilServer server = new VigilServer(vertx, config(vertx, both, "spindle-7", "spindle-8"), Clock.systemUTC())
                    .start().await(60, TimeUnit.SECONDS);
            final Api sched = new Api("http://127.0.0.1:" + server.port(), "plat");
            JsonArray fresh = atFirstReadyMoment(sched, server, List.of("spindle-7", "spindle-8"));
            assertThat(fresh.stream().map(o -> ((JsonObject) o).getString("machine")))
                    .containsExactlyInAnyOrder("spindle-7", "spindle-8");

            // spindle-7 becomes available, then the service restarts without spindle-8 in its configuration
            long start = System.currentTimeMillis() * 1_000_000L - 8_000_000_000L;
            Api gw = sched.as("gw");
            for (Frame f : SecondFrames.live("spindle-7", Simulation.builder(CncSpec.defaults("spindle-7"))
                    .lifeDurationS(8).seed(1).build(), start)) {
                assertThat(gw.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f)).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> "available".equals(
                    new JsonObject(sched.get("/api/v1/availability/spindle-7").body()).getString("status")));
            server.stop().await(30, TimeUnit.SECONDS);

            server = new VigilServer(vertx, config(vertx, "  - {id: spindle-7, model: m.zip}\n", "spindle-7"), Clock.systemUTC())
                    .start().await(60, TimeUnit.SECONDS);
            Api again = new Api("http://127.0.0.1:" + server.port(), "plat");
            JsonArray restarted = atFirstReadyMoment(again, server, List.of("spindle-7"));
            assertThat(restarted.stream().map(o -> ((JsonObject) o).getString("machine"))).containsExactly("spindle-7");
            assertThat(again.get("/api/v1/availability/spindle-8").statusCode()).isEqualTo(404);
            server.stop().await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
