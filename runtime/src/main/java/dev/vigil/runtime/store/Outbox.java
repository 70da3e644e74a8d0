package dev.vigil.runtime.store;

import dev.vigil.runtime.alert.OutboxMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable webhook messages (the transactional outbox): written in the same transaction as the change they
 * announce, delivered at least once, in order per endpoint and machine (only the oldest pending message of a
 * machine is ever handed out), retried with back-off, and marked dead when too old. Shares the event store's
 * connection and lock; blocking JDBC, call from workers.
 */
public final class Outbox {
    /** A stored message. */
    public record Entry(long id, String endpoint, String machineId, String eventId, String type, String body,
                        Instant createdAt, int attempts, Instant nextAttemptAt, String state, String lastError) {
    }

    private final Database lock;
    private final Connection db;
    /** The state a new message starts in: pending, or held until a cluster's state topic has what it announces. */
    private final String initial;

    /** @param hold whether new messages wait for {@link #release} before they are delivered (an instance of a cluster) */
    Outbox(Database database, boolean hold) {
        this.lock = database;
        this.db = database.connection();
        this.initial = hold ? "held" : "pending";
    }

    /** Inserts messages (inside the caller's transaction when there is one). */
    void insert(List<OutboxMessage> messages, Instant now) throws SQLException {
        insert(messages, now, initial);
    }

    private void insert(List<OutboxMessage> messages, Instant now, String state) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement p = db.prepareStatement("INSERT INTO outbox(endpoint, machine_id, event_id, type, body, "
                + "created_at, next_attempt_at, state) VALUES (?,?,?,?,?,?,?,?)")) {
            for (OutboxMessage m : messages) {
                p.setString(1, m.endpoint());
                p.setString(2, m.machineId());
                p.setString(3, m.eventId());
                p.setString(4, m.type());
                p.setString(5, m.body());
                p.setLong(6, now.toEpochMilli());
                p.setLong(7, now.toEpochMilli());
                p.setString(8, state);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * The machines with held messages, each with its newest held message's id. An instance of a cluster holds every
     * message until the machine's state, as it is once the message's change is stored, is in the cluster's state
     * topic: then a machine taken over after a crash is announced by its new owner exactly as it knows it, and
     * nothing its old owner decided but never handed on is announced.
     */
    public Map<String, Long> held() throws SQLException {
        synchronized (lock) {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement p = db.prepareStatement("SELECT machine_id, max(id) FROM outbox WHERE state='held' "
                    + "GROUP BY machine_id ORDER BY machine_id"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
            return out;
        }
    }

    /** Lets the machine's held messages up to {@code upToId} be delivered; returns how many. */
    public int release(String machineId, long upToId) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("UPDATE outbox SET state='pending' WHERE state='held' "
                    + "AND machine_id=? AND id<=?")) {
                p.setString(1, machineId);
                p.setLong(2, upToId);
                return p.executeUpdate();
            }
        }
    }

    /** The machine's messages not delivered yet to some endpoint (pending or held), oldest first, at most {@code limit}. */
    public List<OutboxMessage> undelivered(String machineId, int limit) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("SELECT * FROM outbox WHERE machine_id=? AND state IN "
                    + "('pending', 'held') ORDER BY id LIMIT ?")) {
                p.setString(1, machineId);
                p.setInt(2, limit);
                List<OutboxMessage> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new OutboxMessage(r.getString("endpoint"), r.getString("machine_id"),
                                r.getString("event_id"), r.getString("type"), r.getString("body")));
                    }
                }
                return out;
            }
        }
    }

    /**
     * Takes on messages another instance of a cluster had not delivered when it handed a machine on, in their
     * order, ready for delivery: a message whose event id this outbox already has for that endpoint is skipped (the
     * receivers tell a repeat by the id anyway). Returns how many were added.
     */
    public int takeOn(List<OutboxMessage> messages, Instant now) throws SQLException {
        synchronized (lock) {
            return lock.transaction(() -> takeOnNow(messages, now));
        }
    }

    private int takeOnNow(List<OutboxMessage> messages, Instant now) throws SQLException {
        List<OutboxMessage> unknown = new ArrayList<>();
        for (OutboxMessage m : messages) {
            try (PreparedStatement known = db.prepareStatement("SELECT 1 FROM outbox WHERE event_id=? AND endpoint=?")) {
                known.setString(1, m.eventId());
                known.setString(2, m.endpoint());
                try (ResultSet r = known.executeQuery()) {
                    if (!r.next()) {
                        unknown.add(m);
                    }
                }
            }
        }
        // ready at once: the instance that made them had handed them on
        insert(unknown, now, "pending");
        return unknown.size();
    }

    /**
     * Deletes every held message (at the start of an instance of a cluster): what a crash left held was never handed
     * on to the cluster, so the machine's next owner decided those changes again (from the frames whose offsets were
     * not committed) and announced them itself.
     */
    public int dropHeld() throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM outbox WHERE state='held'")) {
                return p.executeUpdate();
            }
        }
    }

    /** Deletes the delivered and dead messages made before {@code before} (inside the caller's transaction). */
    int pruneBefore(Instant before) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM outbox WHERE state IN ('delivered', 'dead') "
                + "AND created_at < ?")) {
            p.setLong(1, before.toEpochMilli());
            return p.executeUpdate();
        }
    }

    /** For each machine, its oldest pending message for this endpoint, if it is due. */
    public List<Entry> due(String endpoint, Instant now) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("SELECT o.* FROM outbox o JOIN (SELECT machine_id, min(id) AS head "
                    + "FROM outbox WHERE endpoint=? AND state='pending' GROUP BY machine_id) h ON o.id = h.head "
                    + "WHERE o.next_attempt_at <= ? ORDER BY o.id")) {
                p.setString(1, endpoint);
                p.setLong(2, now.toEpochMilli());
                List<Entry> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(entry(r));
                    }
                }
                return out;
            }
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        return new Entry(r.getLong("id"), r.getString("endpoint"), r.getString("machine_id"), r.getString("event_id"),
                r.getString("type"), r.getString("body"), Instant.ofEpochMilli(r.getLong("created_at")), r.getInt("attempts"),
                Instant.ofEpochMilli(r.getLong("next_attempt_at")), r.getString("state"), r.getString("last_error"));
    }

    public void delivered(long id, Instant at) throws SQLException {
        update("UPDATE outbox SET state='delivered', delivered_at=?, attempts=attempts+1 WHERE id=?", at.toEpochMilli(), id);
    }

    /** A failed attempt: retry at {@code next}, or give up ({@code dead}) when the message is too old. */
    public void failed(long id, String error, Instant next, boolean dead) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("UPDATE outbox SET attempts=attempts+1, last_error=?, "
                    + "next_attempt_at=?, state=? WHERE id=?")) {
                p.setString(1, error);
                p.setLong(2, next.toEpochMilli());
                p.setString(3, dead ? "dead" : "pending");
                p.setLong(4, id);
                p.executeUpdate();
            }
        }
    }

    private void update(String sql, long a, long id) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement(sql)) {
                p.setLong(1, a);
                p.setLong(2, id);
                p.executeUpdate();
            }
        }
    }

    /** Message counts by endpoint and state ({@code endpoint/state}). */
    public Map<String, Long> counts() throws SQLException {
        synchronized (lock) {
            Map<String, Long> out = new LinkedHashMap<>();
            try (PreparedStatement p = db.prepareStatement("SELECT endpoint, state, count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1, 2");
                 ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1) + "/" + r.getString(2), r.getLong(3));
                }
            }
            return out;
        }
    }

    /** Dead messages, newest first. */
    public List<Entry> dead(int limit) throws SQLException {
        synchronized (lock) {
            try (PreparedStatement p = db.prepareStatement("SELECT * FROM outbox WHERE state='dead' ORDER BY id DESC LIMIT ?")) {
                p.setInt(1, limit);
                List<Entry> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(entry(r));
                    }
                }
                return out;
            }
        }
    }
}
