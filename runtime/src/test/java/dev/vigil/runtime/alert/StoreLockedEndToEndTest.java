package dev.vigil.runtime.alert;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.scheduler.ReferenceScheduler;
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

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQLite file is locked by someone else for longer than the busy timeout while a fault's alarm rises. Before,
 * the tracker believed the alert raised though its write had failed, the frame was answered 500 and the alert was
 * never stored nor announced. Now the frame is refused with 503, the alert changes wait, and once the lock is gone
 * and the gateway sends again: exactly one alert, its history and its webhook complete.
 */
@Tag("slow")
class StoreLockedEndToEndTest {
    static final String SECRET = "a-long-shared-webhook-secret";
    @TempDir
    Path tmp;

    @Test
    void aStoreLockedWhileAnAlarmRisesLosesNothingAndDuplicatesNothing() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Vertx vertx = Vertx.vertx();
        try {
            ReferenceScheduler platform = new ReferenceScheduler(SECRET, 0);
            vertx.deployVerticle(platform).await(10, TimeUnit.SECONDS);
            Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                    http: {host: 127.0.0.1, port: 0}
                    storage: {path: data/vigil.db}
                    recording: {enabled: false}
                    scheduler:
                      endpoints:
                        - {name: platform, url: "http://127.0.0.1:%d/hooks", secret: %s}
                    machines:
                      - {id: spindle-7, model: m.zip}
                    auth: {disabled: true}
                    """.formatted(platform.actualPort(), SECRET));
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api api = new Api("http://127.0.0.1:" + server.port(), null);

            // a strong imbalance from the first second: the alarm rises within a few windows
            int seconds = 30;
            List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(seconds)
                    .seed(9).fault(new FaultSpec(FaultType.IMBALANCE, 0, 1, Progression.STEP, 1, null, 0))
                    .start(Instant.now().minusSeconds(seconds)).build());
            int refused = 0;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"));
                 Statement s = other.createStatement()) {
                // longer than the service's 5 s busy timeout: held until the service has refused a frame. A fixed
                // 7 s was not always enough: the availability refresh writes too, and a writer queued behind it on
                // the store's monitor got in after the lock was gone
                s.execute("BEGIN EXCLUSIVE");
                boolean locked = true;
                long lockedUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (Frame f : frames) {
                    while (true) {
                        if (locked && (refused > 0 || System.nanoTime() > lockedUntil)) {
                            s.execute("COMMIT");
                            locked = false;
                        }
                        HttpResponse<String> r = api.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f));
                        if (r.statusCode() == 202) {
                            break;
                        }
                        // as a gateway does: the same frame again after Retry-After
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                        assertThat(new JsonObject(r.body()).getString("error")).contains("send the frame again");
                        refused++;
                        Thread.sleep(1000);
                    }
                }
                if (locked) {
                    s.execute("COMMIT");
                }
            }
            assertThat(refused).as("frames refused while the store was locked").isPositive();

            JsonArray alerts = new JsonObject(api.get("/api/v1/alerts?machine=spindle-7&category=machine").body())
                    .getJsonArray("alerts");
            assertThat(alerts).as(alerts.encode()).hasSize(1);
            long id = alerts.getJsonObject(0).getLong("id");
            JsonArray history = new JsonObject(api.get("/api/v1/alerts/" + id).body()).getJsonArray("history");
            assertThat(history.stream().map(h -> ((JsonObject) h).getString("event")).filter("raised"::equals))
                    .as(history.encode()).hasSize(1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(platform.received().get("spindle-7"))
                    .isNotNull().filteredOn(e -> e.startsWith("alert.raised")).hasSize(1));
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
