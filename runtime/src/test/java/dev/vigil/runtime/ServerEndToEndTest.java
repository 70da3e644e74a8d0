package dev.vigil.runtime;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The service from its YAML: frames in, a stored alert out, engineers act on it, and it survives a restart. */
@Tag("slow")
class ServerEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void framesBecomeAStoredAlertThatEngineersResolveAndThatSurvivesARestart() throws Exception {
        CncSpec spec = CncSpec.defaults("spindle-7");
        TestModels.copyTo("spindle-7", tmp.resolve("models/spindle-7.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http:
                  host: 127.0.0.1
                  port: 0
                storage:
                  path: data/vigil.db
                recording: {beforeSeconds: 10, afterSeconds: 10, healthyEveryMinutes: 1, healthySeconds: 5}
                machines:
                  - id: spindle-7
                    kind: cnc
                    tenant: acme
                    model: models/spindle-7.zip
                    isoClass: group2-rigid
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw-secret", "spindle-7")
                + Api.tokenEntry("anna", "engineer", "anna-secret") + Api.tokenEntry("mon", "monitor", "mon-secret"));
        Vertx vertx = Vertx.vertx();
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api anna = new Api("http://127.0.0.1:" + server.port(), "anna-secret");
            Api gateway = anna.as("gw-secret");
            assertThat(anna.get("/health").body()).contains("UP");
            List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
            HttpResponse<java.util.stream.Stream<String>> sse = anna.http().send(anna.request("/api/v1/alerts/events")
                    .GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(sse.headers().firstValue("content-type")).hasValue("text/event-stream");
            Thread reader = new Thread(() -> {
                try {
                    sse.body().filter(l -> l.startsWith("data: ")).forEach(events::add);
                } catch (java.io.UncheckedIOException closedWithTheServer) {
                    // the stream ends when the server stops
                }
            });
            reader.setDaemon(true);
            reader.start();

            double life = 8 * 3600;
            Simulation faulty = Simulation.builder(spec).lifeDurationS(life).speedup(life / 300).seed(52)
                    .start(java.time.Instant.now().minusSeconds(300))
                    .fault(new FaultSpec(FaultType.BEARING_INNER, life / 4, 3 * life / 4, Progression.EXPONENTIAL, 1, null, 0))
                    .build();
            for (Frame f : dev.vigil.runtime.SecondFrames.of(faulty)) {
                HttpResponse<String> r = gateway.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            JsonArray alerts = new JsonObject(anna.get("/api/v1/alerts?machine=spindle-7").body()).getJsonArray("alerts");
            server.recordings().awaitWrites(java.time.Duration.ofSeconds(60));
            List<Path> captures = server.recordings().captures("spindle-7");
            assertThat(anna.as("mon-secret").get("/metrics").body()).as("the disk kept up")
                    .contains("vigil_recording_dropped_total 0.0");
            assertThat(captures).extracting(p -> p.getFileName().toString().replaceAll("-\\d{4}-.*", ""))
                    .as("a healthy sample early on, the context of the alert").contains("healthy", "alert-" + alerts
                            .getJsonObject(0).getLong("id"));
            Path capture = captures.stream().filter(p -> p.getFileName().toString().startsWith("alert-")).findFirst()
                    .orElseThrow();
            var recording = dev.vigil.format.RecordingReader.open(capture);
            assertThat(recording.meta().channels()).extracting(c -> c.name()).contains("accel_x", "current_u");
            assertThat(recording.meta().channels().get(0).samples() / recording.meta().channels().get(0).sampleRateHz())
                    .as("10 s before and 10 s after the first window").isEqualTo(20.0);
            assertThat(Files.exists(capture.resolve("labels.csv"))).as("unlabelled until a verdict").isFalse();
            assertThat(alerts).hasSize(1);
            JsonObject alert = alerts.getJsonObject(0);
            assertThat(alert.getString("category")).isEqualTo("machine");
            assertThat(alert.getString("fault")).isEqualTo("bearing-inner");
            assertThat(alert.getBoolean("active")).isTrue();
            assertThat(alert.getJsonObject("evidence").getJsonObject("evidence").getString("feature")).contains("env_bpfi");
            long id = alert.getLong("id");

            HttpResponse<String> ack = anna.post("/api/v1/alerts/" + id + "/ack", "{\"by\":\"anna\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            HttpResponse<String> assigned = anna.post("/api/v1/alerts/" + id + "/assign", "{\"assignee\":\"carl\"}");
            assertThat(new JsonObject(assigned.body()).getString("assignee")).isEqualTo("carl");
            assertThat(anna.post("/api/v1/alerts/" + id + "/comments", "{\"text\":\"bearing noise audible\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(anna.post("/api/v1/alerts/" + id + "/comments", "{}").body()).contains("field 'text' is required");
            // a body's "by" is recorded beside the token's name, never instead of it
            assertThat(anna.post("/api/v1/alerts/" + id + "/comments", "{\"text\":\"seen\",\"by\":\"mallory\"}")
                    .statusCode()).isEqualTo(200);
            assertThat(new JsonObject(anna.get("/api/v1/alerts/" + id).body()).getJsonArray("history").stream()
                    .map(h -> ((JsonObject) h).getString("actor"))).contains("anna (for mallory)").doesNotContain("mallory");
            assertThat(gateway.send(gateway.request("/api/v1/machines/spindle-7/frames")
                    .header("content-type", "application/octet-stream").POST(java.net.http.HttpRequest.BodyPublishers
                            .noBody())).statusCode()).as("an empty frame").isEqualTo(400);
            assertThat(anna.get("/api/v1/alerts?severity=bad").body()).contains("severity must be one of");
            assertThat(new JsonObject(anna.get("/api/v1/alerts?tenant=other").body()).getJsonArray("alerts")).isEmpty();
            assertThat(new JsonObject(anna.get("/api/v1/alerts?tenant=acme&category=machine").body())
                    .getJsonArray("alerts")).hasSize(1);
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> events.size() >= 4);
            assertThat(events).extracting(l -> new JsonObject(l.substring(6)).getString("type"))
                    .as("the live stream saw every change").startsWith("raised").contains("acknowledged", "assigned", "commented");
            JsonObject raisedEvent = new JsonObject(events.get(0).substring(6));
            assertThat(raisedEvent.getJsonObject("alert").getString("fault")).isIn("bearing-inner", "unknown");
            HttpResponse<String> bad = anna.post("/api/v1/alerts/" + id + "/resolve", "{\"by\":\"anna\",\"verdict\":\"perhaps\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("verdict must be");
            assertThat(anna.get("/api/v1/alerts/999").statusCode()).isEqualTo(404);
            server.stop().await(20, TimeUnit.SECONDS);

            VigilServer again = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api anna2 = new Api("http://127.0.0.1:" + again.port(), "anna-secret");
            JsonObject back = new JsonObject(anna2.get("/api/v1/alerts/" + id).body());
            assertThat(back.getBoolean("acknowledged")).isTrue();
            assertThat(back.getString("fault")).isEqualTo("bearing-inner");
            assertThat(back.getJsonArray("history").getJsonObject(0).getString("event")).isEqualTo("raised");
            assertThat(back.getString("acknowledgedBy")).isEqualTo("anna");
            assertThat(back.getString("tenant")).isEqualTo("acme");
            assertThat(back.getString("model")).hasSize(12);
            assertThat(back.getString("isoZone")).as("the configured ISO 10816 group").isIn("A", "B", "C", "D");
            double warningBefore = new JsonObject(anna2.get("/api/v1/machines/spindle-7/model").body())
                    .getJsonObject("active").getDouble("warning");
            HttpResponse<String> resolved = anna2.post("/api/v1/alerts/" + id + "/resolve",
                    "{\"by\":\"anna\",\"verdict\":\"false-alarm\",\"note\":\"bearing checked, it was the coolant pump\"}");
            assertThat(resolved.statusCode()).as(resolved.body()).isEqualTo(200);
            assertThat(new JsonObject(resolved.body()).getBoolean("open")).isFalse();
            JsonObject model = new JsonObject(anna2.get("/api/v1/machines/spindle-7/model").body());
            assertThat(model.getDouble("levelFactor")).as("a false alarm raises the machine's levels by 10 %").isEqualTo(1.1);
            assertThat(model.getJsonObject("active").getDouble("warning")).isCloseTo(1.1 * warningBefore,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(anna2.send(anna2.request("/api/v1/machines/spindle-7/feedback").DELETE()).statusCode())
                    .as("only admins reset").isEqualTo(403);

            Path summary = tmp.resolve("feedback.csv");
            int code = new picocli.CommandLine(new dev.vigil.runtime.cli.RuntimeCli()).execute("export-labels", "--config",
                    yaml.toString(), "--out", summary.toString());
            assertThat(code).isZero();
            assertThat(Files.readAllLines(summary)).hasSize(2).last().asString()
                    .contains("false-alarm", "coolant pump", capture.toString());
            assertThat(Files.readAllLines(capture.resolve("labels.csv"))).as("a false alarm labels its recording healthy")
                    .containsExactly("start_s,end_s,fault,severity,category,channel");
            again.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokenConfigurationNamesEveryProblemAndEnvironmentOverrides(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("bad.yaml"), """
                http:
                  port: 99999
                scoring:
                  toleranceSeconds: soon
                  followDrift: sometimes
                machines:
                  - id: "bad id!"
                    model: m.zip
                  - kind: cnc
                """);
        Vertx vertx = Vertx.vertx();
        try {
            assertThatThrownBy(() -> ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS))
                    .hasMessageContaining("http.port: 99999.0 outside 0.0..65535.0")
                    .hasMessageContaining("scoring.toleranceSeconds: expected a number, found 'soon'")
                    .hasMessageContaining("scoring.followDrift: expected true or false, found sometimes")
                    .hasMessageContaining("machines[0].id: 'bad id!'")
                    .hasMessageContaining("machines[1].id: required")
                    .hasMessageContaining("machines[1].model: required")
                    .hasMessageContaining("auth.tokens: required");
            Path good = Files.writeString(dir.resolve("good.yaml"), "machines:\n  - {id: m1, model: m.zip}\nauth:\n  disabled: true\n");
            RuntimeConfig c = ConfigLoader.load(vertx, good, Map.of("VIGIL_HTTP__PORT", "9091",
                    "VIGIL_SCORING__MAX_IN_FLIGHT_PER_MACHINE", "4", "VIGIL_SCORING__FOLLOW_DRIFT", "true"))
                    .await(20, TimeUnit.SECONDS);
            assertThat(c.followDrift()).isTrue();
            assertThat(c.port()).isEqualTo(9091);
            assertThat(c.maxInFlightPerMachine()).isEqualTo(4);
            assertThat(c.machines().get(0).model()).isEqualTo(dir.resolve("m.zip"));
            assertThatThrownBy(() -> ConfigLoader.load(vertx, dir.resolve("none.yaml"), Map.of()).await(20, TimeUnit.SECONDS))
                    .hasMessageContaining("configuration file not found");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
