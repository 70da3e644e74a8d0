package dev.vigil.runtime.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only grows is pruned by age on the real SQLite file: delivered and dead webhook messages, availability
 * events, resolved alerts with their history; pending messages and open alerts stay whatever their age.
 */
class StorePruneTest {
    @TempDir
    Path tmp;

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static long daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days)).toEpochMilli();
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    @Test
    void oldDeliveredMessagesEventsAndResolvedAlertsGoPendingAndOpenOnesStay() throws Exception {
        Path file = tmp.resolve("vigil.db");
        try (EventStore store = EventStore.open(file);
             Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            for (String[] m : new String[][]{{"old-delivered", "delivered", "40"}, {"new-delivered", "delivered", "5"},
                    {"old-dead", "dead", "40"}, {"old-pending", "pending", "40"}}) {
                s.execute("INSERT INTO outbox(endpoint, machine_id, event_id, type, body, created_at, next_attempt_at, state)"
                        + " VALUES ('p', 'm', '" + m[0] + "', 't', '{}', " + daysAgo(Integer.parseInt(m[2])) + ", 0, '"
                        + m[1] + "')");
            }
            s.execute("INSERT INTO availability_events(machine_id, tenant, body, at) VALUES ('m', 'default', '{}', "
                    + daysAgo(40) + ")");
            s.execute("INSERT INTO availability_events(machine_id, tenant, body, at) VALUES ('m', 'default', '{}', "
                    + daysAgo(1) + ")");
            for (Object[] a : new Object[][]{{"resolved-long-ago", daysAgo(400), 400}, {"resolved-lately", daysAgo(10), 20},
                    {"open-for-ever", null, 500}}) {
                s.execute("INSERT INTO alerts(machine_id, category, fault, severity, active, acknowledged, first_seen, "
                        + "last_seen, resolved_at, evidence, updated_at) VALUES ('m', 'machine', '" + a[0] + "', 'warning', "
                        + "0, 0, " + daysAgo((Integer) a[2]) + ", " + daysAgo((Integer) a[2]) + ", " + a[1] + ", '{}', 0)");
                s.execute("INSERT INTO alert_history(alert_id, at, event) VALUES (last_insert_rowid(), 0, 'raised')");
            }
            long firstBefore = store.availability().firstKept();

            EventStore.Pruned pruned = store.prune(Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(365), NOW);

            assertThat(pruned).isEqualTo(new EventStore.Pruned(2, 1, 1));
            assertThat(column(c, "SELECT event_id FROM outbox ORDER BY id")).containsExactly("new-delivered", "old-pending");
            assertThat(column(c, "SELECT fault FROM alerts ORDER BY id")).containsExactly("resolved-lately", "open-for-ever");
            assertThat(column(c, "SELECT count(*) FROM alert_history")).containsExactly("2");
            assertThat(column(c, "SELECT count(*) FROM alert_history WHERE alert_id NOT IN (SELECT id FROM alerts)"))
                    .containsExactly("0");
            assertThat(firstBefore).isEqualTo(1);
            assertThat(store.availability().firstKept()).isEqualTo(2);
            // all of them pruned: the next one to come is where a stream would resume
            store.prune(Duration.ofDays(30), Duration.ZERO, Duration.ofDays(365), NOW);
            assertThat(store.availability().firstKept()).isEqualTo(3);
        }
    }
}
