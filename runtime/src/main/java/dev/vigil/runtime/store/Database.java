package dev.vigil.runtime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One connection to the service's SQLite file: WAL journal, synchronous=FULL (a committed change survives a crash
 * or kill -9), the versioned schema migrated in order at open, and a transaction helper. Each store owns its own
 * connection, so their transactions never mix; SQLite serialises the writers (busy timeout 5 s). Open the stores
 * one after the other (the first migrates). A newer schema than this build knows is refused rather than touched.
 */
final class Database implements AutoCloseable {
    static final String[] MIGRATIONS = {
            """
            CREATE TABLE alerts (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              machine_id TEXT NOT NULL, category TEXT NOT NULL, fault TEXT NOT NULL, severity TEXT NOT NULL,
              active INTEGER NOT NULL, acknowledged INTEGER NOT NULL, acknowledged_by TEXT, acknowledged_at INTEGER,
              assignee TEXT, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, cleared_at INTEGER,
              resolved_at INTEGER, resolved_by TEXT, verdict TEXT, note TEXT,
              score REAL, warning REAL, critical REAL, evidence TEXT NOT NULL, updated_at INTEGER NOT NULL)""",
            "CREATE INDEX alerts_machine_open ON alerts(machine_id, resolved_at)",
            """
            CREATE TABLE alert_history (
              id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id INTEGER NOT NULL REFERENCES alerts(id),
              at INTEGER NOT NULL, event TEXT NOT NULL, actor TEXT, severity TEXT, fault TEXT, detail TEXT)""",
            "ALTER TABLE alerts ADD COLUMN escalated_at INTEGER",
            "ALTER TABLE alerts ADD COLUMN critical_since INTEGER",
            "ALTER TABLE alerts ADD COLUMN confirmed_fault TEXT",
            """
            CREATE TABLE score_history (
              machine_id TEXT NOT NULL, at INTEGER NOT NULL, windows INTEGER NOT NULL, max_score REAL,
              mean_score REAL, level TEXT NOT NULL, warning REAL, critical REAL, model TEXT,
              PRIMARY KEY (machine_id, at))""",
            """
            CREATE TABLE feedback (
              machine_id TEXT PRIMARY KEY, false_alarms INTEGER NOT NULL, threshold_factor REAL NOT NULL,
              updated_at INTEGER NOT NULL)""",
            """
            CREATE TABLE deployments (
              id INTEGER PRIMARY KEY AUTOINCREMENT, machine_id TEXT NOT NULL, version TEXT NOT NULL,
              bundle TEXT NOT NULL, action TEXT NOT NULL, by TEXT, at INTEGER NOT NULL)""",
            """
            CREATE TABLE outbox (
              id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint TEXT NOT NULL, machine_id TEXT NOT NULL,
              event_id TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, state TEXT NOT NULL,
              last_error TEXT, delivered_at INTEGER)""",
            "CREATE INDEX outbox_pending ON outbox(endpoint, state, machine_id, id)",
            """
            CREATE TABLE machine_status (
              machine_id TEXT PRIMARY KEY, status TEXT NOT NULL, since INTEGER NOT NULL, reason TEXT,
              ack_by TEXT, ack_at INTEGER, ack_excluded INTEGER)""",
            """
            CREATE TABLE availability_events (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, machine_id TEXT NOT NULL, tenant TEXT NOT NULL,
              body TEXT NOT NULL, at INTEGER NOT NULL)""",
            // an instance of a cluster looks for its held messages after every batch of frames
            "CREATE INDEX outbox_held ON outbox(state, machine_id, id)",
            // a machine taken over brings the messages its last owner had not delivered; known ones are skipped
            "CREATE INDEX outbox_event ON outbox(event_id)",
            // a scheduler's confirmation moves with its machine between a cluster's instances, and an instance keeps
            // those of machines it never announced (machine_status has a row only for those it did)
            """
            CREATE TABLE scheduler_acks (
              machine_id TEXT PRIMARY KEY, by TEXT NOT NULL, at INTEGER NOT NULL, excluded INTEGER NOT NULL)""",
            """
            INSERT INTO scheduler_acks(machine_id, by, at, excluded)
              SELECT machine_id, ack_by, ack_at, ack_excluded FROM machine_status WHERE ack_by IS NOT NULL""",
            // in a cluster every instance's event log takes the fleet's changes from the availability topic, once each
            "ALTER TABLE availability_events ADD COLUMN event_id TEXT",
            "CREATE UNIQUE INDEX availability_events_id ON availability_events(event_id)",
            "CREATE INDEX availability_events_machine ON availability_events(machine_id, at)"
    };

    private final Connection db;

    private Database(Connection db) {
        this.db = db;
    }

    static Database open(Path file) throws SQLException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=5000");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        Database database = new Database(c);
        try {
            database.migrate();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return database;
    }

    Connection connection() {
        return db;
    }

    int schemaVersion() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT max(version) FROM schema_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private void migrate() throws SQLException {
        transaction(() -> {
            int version = schemaVersion();
            if (version > MIGRATIONS.length) {
                throw new SQLException("the store's schema version " + version + " is newer than this Vigil ("
                        + MIGRATIONS.length + "); refusing to touch it");
            }
            try (Statement s = db.createStatement()) {
                for (int v = version; v < MIGRATIONS.length; v++) {
                    s.execute(MIGRATIONS[v]);
                    s.execute("INSERT INTO schema_version(version) VALUES (" + (v + 1) + ")");
                }
            }
            return null;
        });
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs work as one transaction: all of it is committed, or none of it (work inside work joins it). */
    <T> T transaction(Work<T> work) throws SQLException {
        if (!db.getAutoCommit()) {
            return work.run();
        }
        db.setAutoCommit(false);
        try {
            T result = work.run();
            db.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
