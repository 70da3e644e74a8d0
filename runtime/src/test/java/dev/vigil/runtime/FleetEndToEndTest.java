package dev.vigil.runtime;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The machines API against the real server: fleet status, stale data, score history, and a model deployed,
 * rolled back, shadowed and promoted while frames keep flowing, still active after a restart.
 */
@Tag("slow")
class FleetEndToEndTest {
    @TempDir
    Path tmp;

    private static void stream(Api gw, List<Frame> frames) throws Exception {
        for (Frame f : frames) {
            HttpResponse<String> r = gw.post("/api/v1/machines/" + f.machineId() + "/frames", FrameCodec.encode(f));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
    }

    private static JsonObject json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    private static JsonObject pollUntil(java.util.concurrent.Callable<JsonObject> poll,
                                    java.util.function.Predicate<JsonObject> done) throws Exception {
        return await().atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(200))
                .until(poll, done::test);
    }

    @Test
    void fleetStatusStaleDataScoreHistoryAndTheModelLifecycle() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("models/spindle.zip"));
        byte[] candidate = Files.readAllBytes(TestModels.cnc("spindle-7", 77));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db, scoreBucketSeconds: 1}
                alerts: {staleAfterSeconds: 2}
                machines:
                  - {id: spindle-7, tenant: acme, model: models/spindle.zip}
                  - {id: spindle-8, tenant: beta, model: models/spindle.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", "spindle-7", "spindle-8")
                + Api.tokenEntry("anna", "engineer", "anna") + Api.tokenEntry("root", "admin", "root"));
        List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(90).seed(5)
                .start(Instant.now().minusSeconds(90)).build());
        int third = frames.size() / 3;
        dev.vigil.runtime.ops.Metrics metricsRegistry = dev.vigil.runtime.ops.Metrics.create();
        Vertx vertx = VigilServer.newVertx(metricsRegistry);
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC(), metricsRegistry).start()
                    .await(60, TimeUnit.SECONDS);
            Api anna = new Api("http://127.0.0.1:" + server.port(), "anna");
            Api gw = anna.as("gw");
            Api root = anna.as("root");

            // the score history is kept in data time: the simulated frames carry their own timestamps
            String range = "from=" + Instant.ofEpochMilli(frames.get(0).startNanos() / 1_000_000 - 60_000)
                    + "&to=" + Instant.ofEpochMilli(frames.get(frames.size() - 1).startNanos() / 1_000_000 + 60_000);
            stream(gw, frames.subList(0, third));
            JsonArray fleet = json(anna.get("/api/v1/machines"), 200).getJsonArray("machines");
            assertThat(fleet).hasSize(2);
            assertThat(fleet.getJsonObject(0).getString("status")).isEqualTo("normal");
            assertThat(fleet.getJsonObject(0).getString("lastFrameAt")).isNotNull();
            assertThat(fleet.getJsonObject(1).getString("status")).isEqualTo("no-data");
            assertThat(json(anna.get("/api/v1/machines?tenant=beta"), 200).getJsonArray("machines"))
                    .extracting(o -> ((JsonObject) o).getString("id")).containsExactly("spindle-8");
            JsonObject one = json(anna.get("/api/v1/machines/spindle-7"), 200);
            assertThat(one.getJsonObject("latest").getString("level")).isIn("normal", "transient");
            assertThat(json(anna.get("/api/v1/machines/nope"), 404).getString("error")).contains("nope");

            // the stream stops: after 2 s without frames the machine is stale and has a sensor alert
            JsonArray stale = pollUntil(() -> json(anna.get("/api/v1/alerts?machine=spindle-7&category=sensor"), 200),
                    o -> !o.getJsonArray("alerts").isEmpty()).getJsonArray("alerts");
            assertThat(stale).hasSize(1);
            assertThat(stale.getJsonObject(0).getString("fault")).isEqualTo("stale");
            assertThat(json(anna.get("/api/v1/machines/spindle-7"), 200).getString("status")).isEqualTo("stale");

            long seconds = third / frames.stream().map(Frame::channel).distinct().count();
            // spindle-8's accel_y cable comes loose for the last 40 s: a sensor alert, never a machine alert
            List<Frame> dropout = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(60)
                    .seed(6).fault(new FaultSpec(FaultType.SENSOR_DROPOUT, 20, 1, Progression.STEP, 1, "accel_y", 0))
                    .start(Instant.now().minusSeconds(60)).build()).stream().map(f -> new Frame("spindle-8", f.channel(), f.startNanos(), f.sampleRateHz(),
                    f.samples())).toList();
            stream(gw, dropout);
            JsonArray sensor8 = json(anna.get("/api/v1/alerts?machine=spindle-8&open=false"), 200).getJsonArray("alerts");
            assertThat(sensor8).isNotEmpty().allSatisfy(o -> assertThat(((JsonObject) o).getString("category"))
                    .isEqualTo("sensor"));
            assertThat(sensor8).anySatisfy(o -> assertThat(((JsonObject) o).getString("fault")).isEqualTo("dropout:accel_y"));

            JsonObject scores = pollUntil(() -> json(anna.get("/api/v1/machines/spindle-7/scores?" + range), 200),
                    o -> o.getJsonArray("points").size() >= seconds - 3);
            assertThat(scores.getJsonArray("points").size()).as("one point per second of data (less the first window)")
                    .isBetween((int) seconds - 3, (int) seconds + 1);
            assertThat(scores.getJsonArray("points").getJsonObject(0).getString("model")).hasSize(12);
            assertThat(json(anna.get("/api/v1/machines/spindle-7/scores?from=yesterday"), 400).getString("error"))
                    .contains("ISO-8601");

            String metrics = root.get("/metrics").body();
            assertThat(metrics).contains("vigil_frames_total{transport=\"http\"}", "vigil_scoring_seconds_bucket",
                    "vigil_queue_depth{machine=\"spindle-7\"}", "vigil_windows_total");
            assertThat(metrics).containsPattern("vigil_alerts_open\\{acknowledged=\"no\",category=\"sensor\",severity=\"warning\",state=\"active\"} 2");
            // (spindle-7 stale, spindle-8 dropout)
            assertThat(metrics).as("Vert.x's own meters in the same registry").contains("vertx_http_server_requests_total");
            assertThat(anna.get("/metrics").statusCode()).isEqualTo(403);
            assertThat(anna.as(null).get("/health/ready").statusCode()).isEqualTo(200);

            JsonObject model = json(anna.get("/api/v1/machines/spindle-7/model"), 200);
            String v1 = model.getJsonObject("active").getString("version");
            assertThat(model.getJsonArray("deployments").getJsonObject(0).getString("action")).isEqualTo("configured");
            HttpRequest.Builder upload = root.request("/api/v1/machines/spindle-7/model")
                    .header("content-type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(candidate));
            assertThat(anna.send(anna.request("/api/v1/machines/spindle-7/model")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(candidate))).statusCode()).as("engineers may not deploy")
                    .isEqualTo(403);
            assertThat(json(root.post("/api/v1/machines/spindle-7/model", "not a zip".getBytes()), 400).getString("error"))
                    .contains("not a valid model bundle");
            JsonObject deployed = json(root.send(upload), 200);
            String v2 = deployed.getJsonObject("active").getString("version");
            assertThat(v2).isNotEqualTo(v1);
            assertThat(deployed.getJsonObject("previous").getString("version")).isEqualTo(v1);

            // the stream goes on with the new model, and its alerts' evidence names it
            stream(gw, frames.subList(third, 2 * third));
            assertThat(json(anna.get("/api/v1/machines/spindle-7/model"), 200).getJsonObject("active").getLong("windows"))
                    .isPositive();
            JsonObject rolledBack = json(root.post("/api/v1/machines/spindle-7/model/rollback", ""), 200);
            assertThat(rolledBack.getJsonObject("active").getString("version")).isEqualTo(v1);
            assertThat(json(root.post("/api/v1/machines/spindle-7/model/promote", ""), 400).getString("error"))
                    .contains("no shadow");
            JsonObject shadowed = json(root.send(root.request("/api/v1/machines/spindle-7/model?mode=shadow")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(candidate))), 200);
            assertThat(shadowed.getJsonObject("shadow").getString("version")).isEqualTo(v2);
            stream(gw, frames.subList(2 * third, frames.size()));
            JsonObject withShadow = json(anna.get("/api/v1/machines/spindle-7/model"), 200);
            assertThat(withShadow.getJsonObject("shadow").getLong("windows")).as("the shadow scored the same windows")
                    .isPositive();
            JsonObject promoted = json(root.post("/api/v1/machines/spindle-7/model/promote", ""), 200);
            assertThat(promoted.getJsonObject("active").getString("version")).isEqualTo(v2);
            assertThat(promoted.containsKey("shadow")).isFalse();
            assertThat(promoted.getJsonArray("deployments")).extracting(o -> ((JsonObject) o).getString("action"))
                    .containsExactly("promote", "rollback", "deploy", "configured");
            server.stop().await(20, TimeUnit.SECONDS);

            VigilServer again = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api anna2 = new Api("http://127.0.0.1:" + again.port(), "anna");
            assertThat(json(anna2.get("/api/v1/machines/spindle-7"), 200).getString("model"))
                    .as("the deployed model outlives a restart").isEqualTo(v2);
            assertThat(json(anna2.get("/api/v1/machines/spindle-8"), 200).getString("model")).isEqualTo(v1);
            again.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
