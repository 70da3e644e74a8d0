package dev.vigil.runtime.store;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The score history while the store is locked for longer than its busy timeout: the flushes that fail keep their
 * points, and the first one after the lock writes them; every scored window is in the history (before, the points
 * of a failed flush were lost: they were taken from memory before the write).
 */
@Tag("slow")
class ScoreHistoryStoreLockedTest {
    @TempDir
    Path tmp;

    private static long historyWindows(Api api, Instant from) throws Exception {
        JsonArray points = new JsonObject(api.get("/api/v1/machines/spindle-7/scores?from=" + from.minusSeconds(60)
                + "&to=" + Instant.now().plusSeconds(60)).body()).getJsonArray("points");
        return points.stream().mapToLong(p -> ((JsonObject) p).getLong("windows")).sum();
    }

    @Test
    void pointsOfAFlushThatFailedAreWrittenByTheNextOne() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db, scoreBucketSeconds: 1}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                auth: {disabled: true}
                """);
        Instant start = Instant.now().minusSeconds(30);
        List<Frame> frames = SecondFrames.live("spindle-7", Simulation.builder(CncSpec.defaults("spindle-7"))
                .lifeDurationS(24).seed(5).build(), start.toEpochMilli() * 1_000_000L);
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            int half = frames.size() / 2;
            for (Frame f : frames.subList(0, half)) {
                assertThat(api.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f)).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> historyWindows(api, start) > 0);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"));
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                long lockedAt = System.nanoTime();
                for (Frame f : frames.subList(half, frames.size())) {
                    // healthy data changes no alert: scoring needs no write, only the history flush fails
                    assertThat(api.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f)).statusCode())
                            .isEqualTo(202);
                }
                // longer than the 5 s busy timeout after the last frame, so that a flush holding them fails
                long held = Duration.ofSeconds(7).toNanos() - (System.nanoTime() - lockedAt);
                if (held > 0) {
                    TimeUnit.NANOSECONDS.sleep(held);
                }
                s.execute("COMMIT");
            }
            long scored = new JsonObject(api.get("/api/v1/machines/spindle-7").body()).getLong("windows");
            assertThat(scored).isGreaterThan(10);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(historyWindows(api, start)).isEqualTo(scored));
        }
    }
}
