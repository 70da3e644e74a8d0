package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gateways with wrong clocks against the real server. One frame stamped a year ahead (or at the int64 extremes) used
 * to be accepted and move the machine's window grid there, after which every true frame was refused as late and
 * the machine still looked fresh; now such frames are refused by name and the machine goes on being scored. A
 * gateway whose every frame is refused becomes a sensor alert ({@code refusing-data}) and is offline for schedulers.
 */
@Tag("slow")
class ClockSkewEndToEndTest {
    static final long YEAR = 365L * 86_400 * 1_000_000_000L;

    @TempDir
    Path tmp;

    /** A machine's healthy data, restamped to start at {@code startNanos}, one 1 s frame per channel and second. */
    private static Iterator<Frame> live(String machine, long seed, int seconds, long startNanos) {
        return SecondFrames.live(machine, Simulation.builder(CncSpec.defaults(machine)).lifeDurationS(seconds).seed(seed)
                .build(), startNanos).iterator();
    }

    private static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    @Test
    void aWrongClockIsRefusedByNameAndAGatewayRefusedThroughoutBecomesASensorAlert() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                alerts: {staleAfterSeconds: 2}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                  - {id: spindle-8, model: m.zip}
                auth: {disabled: true}
                """);
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            String frames7 = "/api/v1/machines/spindle-7/frames";

            long start = System.currentTimeMillis() * 1_000_000L - 6_000_000_000L;
            Iterator<Frame> healthy = live("spindle-7", 1, 12, start);
            for (int i = 0; i < 6; i++) {
                assertThat(api.post(frames7, FrameCodec.encode(healthy.next())).statusCode()).isEqualTo(202);
            }
            // a year ahead, and the int64 extremes: refused by name, and they leave the stream where it was
            Frame next = healthy.next();
            for (long t : new long[]{next.startNanos() + YEAR, Long.MAX_VALUE, Long.MIN_VALUE}) {
                HttpResponse<String> r = api.post(frames7, FrameCodec.encode(new Frame("spindle-7", next.channel(), t,
                        next.sampleRateHz(), next.samples())));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
                assertThat(json(r).getString("error")).startsWith("clock skew: frame for channel '" + next.channel() + "'")
                        .contains(t == Long.MIN_VALUE ? "behind the service clock" : "ahead of the service clock")
                        .contains("check the gateway's clock");
            }
            assertThat(json(api.post(frames7, FrameCodec.encode(next))).getJsonArray("windows")).isNotNull();
            int windows = 0;
            while (healthy.hasNext()) {
                HttpResponse<String> r = api.post(frames7, FrameCodec.encode(healthy.next()));
                assertThat(r.statusCode()).as("the true frames after the wrong ones: " + r.body()).isEqualTo(202);
                windows += json(r).getJsonArray("windows").size();
            }
            assertThat(windows).as("the machine is still scored").isGreaterThan(0);
            JsonObject m7 = json(api.get("/api/v1/machines/spindle-7"));
            assertThat(m7.getJsonObject("refused").getLong("total")).isEqualTo(3);
            assertThat(m7.getJsonObject("refused").getLong("sinceLastAccepted")).isZero();
            assertThat(m7.getString("status")).isNotIn("stale", "refusing-data");

            // spindle-8's gateway is a year ahead from the start: everything it sends is refused
            Iterator<Frame> ahead = live("spindle-8", 2, 30, System.currentTimeMillis() * 1_000_000L + YEAR);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                HttpResponse<String> r = api.post("/api/v1/machines/spindle-8/frames", FrameCodec.encode(ahead.next()));
                assertThat(r.statusCode()).isEqualTo(422);
                JsonArray open = json(api.get("/api/v1/alerts?machine=spindle-8")).getJsonArray("alerts");
                assertThat(open).hasSize(1);
                assertThat(open.getJsonObject(0).getString("fault")).isEqualTo("refusing-data");
                assertThat(open.getJsonObject(0).getString("category")).isEqualTo("sensor");
                assertThat(open.getJsonObject(0).getJsonObject("evidence").getString("problem"))
                        .contains("none accepted since Vigil started", "clock skew", "ahead of the service clock");
                JsonObject availability = json(api.get("/api/v1/availability/spindle-8"));
                assertThat(availability.getString("status")).isEqualTo("offline");
                assertThat(availability.getString("reason")).contains("refusing what arrives: clock skew");
                assertThat(json(api.get("/api/v1/machines/spindle-8")).getString("status")).isEqualTo("refusing-data");
            });
            String metrics = api.get("/metrics").body();
            assertThat(metrics).containsPattern("vigil_frames_refused_total\\{reason=\"clock-skew\"\\} [1-9]");

            // its clock is fixed: the alert clears, the machine is scored
            Iterator<Frame> fixed = live("spindle-8", 3, 4, System.currentTimeMillis() * 1_000_000L - 4_000_000_000L);
            while (fixed.hasNext()) {
                assertThat(api.post("/api/v1/machines/spindle-8/frames", FrameCodec.encode(fixed.next())).statusCode())
                        .isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    json(api.get("/api/v1/alerts?machine=spindle-8")).getJsonArray("alerts").getJsonObject(0)
                            .getBoolean("active")).isFalse());
        }
    }
}
