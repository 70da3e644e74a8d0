package dev.vigil.runtime.scheduler;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.api.AvailabilityRoutes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resuming the availability stream: a client far behind gets every stored event after its Last-Event-ID, however
 * many (before, the first 10,000 and then live ones: the rest were skipped without a word); a client whose events
 * were pruned is told so first, with a {@code vigil.stream.gap} event naming what is gone and what to do.
 */
class AvailabilityReplayTest {
    @TempDir
    Path tmp;

    /** The SSE lines of a stream resumed after {@code lastEventId}, until {@code until} holds of them. */
    private static List<String> resume(Api api, long lastEventId, Predicate<List<String>> until)
            throws Exception {
        HttpResponse<Stream<String>> r = api.http().send(api.request("/api/v1/availability/events")
                .header("Last-Event-ID", String.valueOf(lastEventId)).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (UncheckedIOException closed) {
                // the test closes the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> until.test(List.copyOf(lines)));
        r.body().close();
        return List.copyOf(lines);
    }

    private static long ids(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("id: ")).count();
    }

    @Test
    void aClientFarBehindGetsEveryEventAndOneWhoseEventsWerePrunedIsToldSo() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                machines:
                  - {id: spindle-7, model: m.zip}
                auth: {disabled: true}
                """);
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            // the machine's first status (offline) is event 1; 12,000 more as a long history would leave
            int stored = 12_000;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"))) {
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO availability_events(machine_id, tenant, body, at)"
                        + " VALUES ('spindle-7', 'default', ?, ?)")) {
                    for (int i = 0; i < stored; i++) {
                        p.setString(1, new JsonObject().put("machine", "spindle-7").put("n", i).encode());
                        p.setLong(2, System.currentTimeMillis());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                c.commit();
            }
            List<String> all = resume(api, 0, l -> ids(l) >= stored + 1);
            assertThat(ids(all)).isEqualTo(stored + 1);
            assertThat(all).noneMatch(l -> l.contains(AvailabilityRoutes.GAP));
            assertThat(all.stream().filter(l -> l.startsWith("id: ")).findFirst()).hasValue("id: 1");

            // pruned: events 1..100 are gone
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data/vigil.db"))) {
                c.createStatement().execute("DELETE FROM availability_events WHERE seq <= 100");
            }
            List<String> behind = resume(api, 5, l -> ids(l) >= stored + 1 - 100);
            List<String> events = behind.stream().filter(l -> l.startsWith("event: ") || l.startsWith("id: ")).toList();
            assertThat(events.get(0)).isEqualTo("event: " + AvailabilityRoutes.GAP);
            String gap = behind.stream().filter(l -> l.startsWith("data: ") && l.contains("firstKept")).findFirst()
                    .orElseThrow();
            assertThat(new JsonObject(gap.substring(6)).getLong("firstKept")).isEqualTo(101);
            assertThat(gap).contains("events 6..100 were pruned", "GET /api/v1/availability");
            assertThat(events.get(1)).isEqualTo("id: 101");
        }
    }
}
