package dev.vigil.runtime.store;

import dev.vigil.runtime.alert.OutboxMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each machine's last announced availability, the schedulers' confirmations of it, and the availability event
 * log that resumable streams replay. Shares the event store's connection and lock: a status change, its webhook
 * messages and its log entry are one transaction. Blocking JDBC: call from workers.
 */
public final class AvailabilityLog {

    /** The last status announced for a machine. */
    public record Announced(String status, Instant since, String reason) {
    }

    /** One entry of the event log: the availability JSON as announced, for one tenant. */
    public record Event(long seq, String tenant, String body) {
    }

    /** A scheduler's confirmation that it excluded (or re-admitted) a machine. */
    public record SchedulerAck(String by, Instant at, boolean excluded) {
    }

    private final Database database;
    private final Connection db;
    private final Outbox outbox;

    AvailabilityLog(Database database, Outbox outbox) {
        this.database = database;
        this.db = database.connection();
        this.outbox = outbox;
    }

    /** The last status announced for each machine. */
    public Map<String, Announced> announced() throws SQLException {
        synchronized (database) {
            Map<String, Announced> out = new LinkedHashMap<>();
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM machine_status")) {
                while (r.next()) {
                    out.put(r.getString("machine_id"), new Announced(r.getString("status"),
                            Instant.ofEpochMilli(r.getLong("since")), r.getString("reason")));
                }
            }
            return out;
        }
    }

    /**
     * Records a machine's new status, its outbox messages and its entry in the event log in one transaction;
     * returns the entry's sequence number.
     */
    public long announce(String machineId, String tenant, Announced status, String eventJson,
                         List<OutboxMessage> messages, Instant now) throws SQLException {
        return announce(machineId, tenant, status, eventJson, messages, now, null);
    }

    /**
     * As {@link #announce(String, String, Announced, String, List, Instant)}, in a cluster: {@code eventId} is the id
     * of the change's CloudEvent on the availability topic, by which this log knows it when it reads it back there.
     */
    public long announce(String machineId, String tenant, Announced status, String eventJson,
                         List<OutboxMessage> messages, Instant now, String eventId) throws SQLException {
        synchronized (database) {
            return database.transaction(() -> {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO machine_status(machine_id, status, since, reason) "
                        + "VALUES (?,?,?,?) ON CONFLICT(machine_id) DO UPDATE SET status=excluded.status, since=excluded.since, "
                        + "reason=excluded.reason")) {
                    p.setString(1, machineId);
                    p.setString(2, status.status());
                    p.setLong(3, status.since().toEpochMilli());
                    p.setString(4, status.reason());
                    p.executeUpdate();
                }
                outbox.insert(messages, now);
                return logged(machineId, tenant, eventJson, now, eventId);
            });
        }
    }

    /**
     * The sequence number of the oldest event still kept; when none is, the one the next event will get. A stream
     * resuming from before it has missed pruned events.
     */
    public long firstKept() throws SQLException {
        synchronized (database) {
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT (SELECT min(seq) FROM availability_events), "
                         + "(SELECT seq FROM sqlite_sequence WHERE name = 'availability_events')")) {
                r.next();
                long min = r.getLong(1);
                return r.wasNull() ? r.getLong(2) + 1 : min;
            }
        }
    }

    /**
     * Logs a change another instance of a cluster announced (read from the availability topic), so that this
     * instance's event stream carries the fleet: once per event id, and only when it is newer than every event of the
     * machine logged here (an instance that took the machine over may have announced after it).
     *
     * @return the event's sequence number, or -1 when it was logged already or is older than the machine's last
     */
    public long mirror(String machineId, String tenant, String eventJson, String eventId, Instant at)
            throws SQLException {
        synchronized (database) {
            return database.transaction(() -> {
                try (PreparedStatement p = db.prepareStatement("SELECT 1 FROM availability_events WHERE event_id = ? "
                        + "UNION ALL SELECT 1 FROM availability_events WHERE machine_id = ? AND at > ? LIMIT 1")) {
                    p.setString(1, eventId);
                    p.setString(2, machineId);
                    p.setLong(3, at.toEpochMilli());
                    try (ResultSet r = p.executeQuery()) {
                        if (r.next()) {
                            return -1L;
                        }
                    }
                }
                return logged(machineId, tenant, eventJson, at, eventId);
            });
        }
    }

    /** Appends an event to the log (inside the caller's transaction); returns its sequence number. */
    private long logged(String machineId, String tenant, String eventJson, Instant at, String eventId)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO availability_events(machine_id, tenant, body, at, "
                + "event_id) VALUES (?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, machineId);
            p.setString(2, tenant);
            p.setString(3, eventJson);
            p.setLong(4, at.toEpochMilli());
            p.setString(5, eventId);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Events after {@code seq}, oldest first, at most {@code limit}. */
    public List<Event> after(long seq, int limit) throws SQLException {
        synchronized (database) {
            try (PreparedStatement p = db.prepareStatement("SELECT seq, tenant, body FROM availability_events WHERE seq > ? "
                    + "ORDER BY seq LIMIT ?")) {
                p.setLong(1, seq);
                p.setInt(2, limit);
                List<Event> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new Event(r.getLong(1), r.getString(2), r.getString(3)));
                    }
                }
                return out;
            }
        }
    }

    /** Deletes the events logged before {@code before} (inside the caller's transaction); returns how many. */
    int pruneBefore(Instant before) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM availability_events WHERE at < ?")) {
            p.setLong(1, before.toEpochMilli());
            return p.executeUpdate();
        }
    }

    /**
     * A scheduler confirmed it excluded (or re-admitted) the machine (here, or on another instance of a cluster, which
     * handed it on with the machine's state); the newest confirmation stays.
     */
    public void schedulerAck(String machineId, SchedulerAck ack) throws SQLException {
        synchronized (database) {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO scheduler_acks(machine_id, by, at, excluded) "
                    + "VALUES (?,?,?,?) ON CONFLICT(machine_id) DO UPDATE SET by=excluded.by, at=excluded.at, "
                    + "excluded=excluded.excluded WHERE excluded.at >= scheduler_acks.at")) {
                p.setString(1, machineId);
                p.setString(2, ack.by());
                p.setLong(3, ack.at().toEpochMilli());
                p.setInt(4, ack.excluded() ? 1 : 0);
                p.executeUpdate();
            }
        }
    }

    /** The scheduler's confirmation for a machine, if one was given. */
    public Optional<SchedulerAck> schedulerAckOf(String machineId) throws SQLException {
        synchronized (database) {
            try (PreparedStatement p = db.prepareStatement("SELECT by, at, excluded FROM scheduler_acks "
                    + "WHERE machine_id=?")) {
                p.setString(1, machineId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(new SchedulerAck(r.getString(1), Instant.ofEpochMilli(r.getLong(2)),
                            r.getInt(3) == 1)) : Optional.empty();
                }
            }
        }
    }
}
