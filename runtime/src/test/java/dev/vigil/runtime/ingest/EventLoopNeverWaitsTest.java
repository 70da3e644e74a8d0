package dev.vigil.runtime.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event loop never waits for scoring. Scoring holds its machine's lock through features, inference and the
 * store's commit; here the commit waits seconds for a database someone else has locked, while the dashboard keeps
 * asking for the fleet and the machine. Every answer comes at once, and Vert.x's blocked-thread
 * checker (set to 200 ms) stays silent. Before, {@code GET /machines} took the machine's lock on the event loop.
 */
@Tag("slow")
class EventLoopNeverWaitsTest {
    @TempDir
    Path tmp;

    @Test
    void readsNeverWaitForAMachineThatIsBeingScored() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                auth: {disabled: true}
                """);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(50)
                .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(20).seed(9)
                    .fault(new FaultSpec(FaultType.IMBALANCE, 0, 1, Progression.STEP, 1, null, 0))
                    .start(Instant.now().minusSeconds(20)).build());
            AtomicBoolean scoring = new AtomicBoolean(true);
            long slowest = 0;
            String slowestPath = "";
            int reads = 0;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"));
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                // the gateway: its frames raise an alarm whose commit waits for the lock (5 s busy timeout)
                Thread gateway = new Thread(() -> {
                    try {
                        for (Frame f : frames) {
                            api.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f));
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        scoring.set(false);
                    }
                });
                gateway.start();
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (System.nanoTime() < until && scoring.get()) {
                    // what is answered from memory on the event loop (store reads, availability with the scheduler's
                    // acknowledgement among them, run on workers and wait for the database like any store read)
                    for (String path : List.of("/api/v1/machines", "/api/v1/machines/spindle-7", "/health/ready")) {
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = api.get(path);
                        if (System.nanoTime() - t0 > slowest) {
                            slowest = System.nanoTime() - t0;
                            slowestPath = path;
                        }
                        assertThat(r.statusCode()).as(path).isEqualTo(200);
                        reads++;
                    }
                    Thread.sleep(50);
                }
                s.execute("COMMIT");
                gateway.join(120_000);
            }
            assertThat(reads).isGreaterThan(20);
            assertThat(log.list).as("Vert.x's blocked-thread warnings")
                    .noneMatch(e -> e.getFormattedMessage().contains("has been blocked"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("slowest read while scoring waited, ms: " + slowestPath)
                    .isLessThan(2000);
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            root.detachAppender(log);
        }
    }
}
