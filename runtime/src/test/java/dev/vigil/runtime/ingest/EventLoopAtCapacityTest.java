package dev.vigil.runtime.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.loadgen.LoadGenerator;
import dev.vigil.runtime.ops.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event loop at capacity: {@code vigil loadgen}'s generator streams 100 simulated spindles over WebSocket in
 * real time (the capacity of these 2-core boxes, docs/PERFORMANCE.md) into the service while a dashboard polls
 * what its pages poll (fleet, availability, alerts, a machine with its recent windows, spectrum and score
 * history). Vert.x's blocked-thread checker, set to 500 ms (a quarter of its default), logs nothing from the
 * service's event loops, and every poll is answered. Speed is not asserted here (docs/PERFORMANCE.md measures it).
 */
@Tag("slow")
class EventLoopAtCapacityTest {
    static final int MACHINES = 100;
    static final int SECONDS = 20;

    @TempDir
    Path tmp;

    @Test
    void theBlockedThreadCheckerIsSilentAtCapacityWithTheDashboardPolling() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        StringBuilder machines = new StringBuilder();
        for (int i = 0; i < MACHINES; i++) {
            machines.append("  - {id: cap-").append(i).append(", model: m.zip}\n");
        }
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                scoring: {toleranceSeconds: 0}
                machines:
                """ + machines + "auth: {disabled: true}\n");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        Vertx service = VigilServer.newVertx(Metrics.create(), new VertxOptions()
                .setBlockedThreadCheckInterval(100).setMaxEventLoopExecuteTime(500)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        // the generator has its own event loops, as it has its own process in `vigil loadgen`; they are not checked
        Vertx generator = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(60).setMaxEventLoopExecuteTimeUnit(
                TimeUnit.SECONDS));
        try {
            RuntimeConfig config = ConfigLoader.load(service, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(service, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            List<Frame> healthy = LoadGenerator.simulate("spindle-7", SECONDS, false, 1);
            List<Frame> faulty = LoadGenerator.simulate("spindle-7", SECONDS, true, 2);
            CompletableFuture<LoadGenerator.Result> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LoadGenerator(generator).run(new LoadGenerator.Plan("127.0.0.1", server.port(), false,
                            null, "cap", MACHINES, SECONDS, 10, true, 5), healthy, faulty);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Api dashboard = new Api("http://127.0.0.1:" + server.port(), null);
            int polls = 0;
            while (!load.isDone()) {
                String m = "cap-" + (polls % MACHINES);
                for (String path : List.of("/api/v1/machines", "/api/v1/availability", "/api/v1/alerts?open=true&limit=1000",
                        "/api/v1/machines/" + m, "/api/v1/availability/" + m, "/api/v1/machines/" + m + "/recent?after=-1",
                        "/api/v1/machines/" + m + "/spectrum", "/api/v1/machines/" + m + "/scores")) {
                    HttpResponse<String> r = dashboard.get(path);
                    assertThat(r.statusCode()).as(path + ": " + r.body()).isIn(200, 404);
                }
                polls++;
                TimeUnit.MILLISECONDS.sleep(200); // the dashboard's pace: a few pages' polls a second
            }
            LoadGenerator.Result result = load.get();
            assertThat(result.windows()).as("windows assessed during the run").isGreaterThan((long) MACHINES * 5);
            assertThat(polls).isGreaterThan(10);
            assertThat(log.list).as("Vert.x's blocked-thread warnings at capacity")
                    .noneMatch(e -> e.getFormattedMessage().contains("has been blocked"));
            server.stop().await(30, TimeUnit.SECONDS);
        } finally {
            generator.close().await(10, TimeUnit.SECONDS);
            service.close().await(10, TimeUnit.SECONDS);
            root.detachAppender(log);
        }
    }
}
