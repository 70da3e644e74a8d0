package dev.vigil.runtime.store;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.AlertRepository;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.alert.Verdict;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Alerts and their history, and the engineers' actions on them. Every change is one transaction: the alert row,
 * its history row and the webhook messages made from it together. Shares the event store's connection and lock;
 * blocking JDBC: call from a worker thread.
 */
public final class AlertStore implements AlertRepository {
    private final Database database;
    private final Connection db;
    private final Outbox outbox;
    /** Where new alerts' ids come from in a cluster (unique across it); null: SQLite numbers them. */
    private final LongSupplier ids;

    AlertStore(Database database, Outbox outbox, LongSupplier ids) {
        this.database = database;
        this.db = database.connection();
        this.outbox = outbox;
        this.ids = ids;
    }

    /** Deletes the alerts resolved before {@code before}, with their history (inside the caller's transaction). */
    int pruneResolvedBefore(Instant before) throws SQLException {
        delete("DELETE FROM alert_history WHERE alert_id IN (SELECT id FROM alerts WHERE resolved_at IS NOT NULL "
                + "AND resolved_at < ?)", before.toEpochMilli());
        return delete("DELETE FROM alerts WHERE resolved_at IS NOT NULL AND resolved_at < ?", before.toEpochMilli());
    }

    private int delete(String sql, long before) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            p.setLong(1, before);
            return p.executeUpdate();
        }
    }

    @Override
    public <T> T atomically(Work<T> work) throws SQLException {
        synchronized (database) {
            return database.transaction(work::run);
        }
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, java.sql.Types.INTEGER);
        } else {
            p.setLong(i, v);
        }
    }

    /** Stores an alert event (insert for a new alert, update otherwise) with its history row; returns the stored alert. */
    public Alert save(AlertEvent event, Instant now) throws SQLException {
        synchronized (database) {
            return save(event, now, stored -> List.of());
        }
    }

    /**
     * As {@link #save(AlertEvent, Instant)}, and in the same transaction the outbox messages made from the stored
     * alert: a crash either keeps both or neither, so no notification is ever lost or invented.
     */
    @Override
    public Alert save(AlertEvent event, Instant now,
                                   Function<Alert, List<OutboxMessage>> outgoing) throws SQLException {
        synchronized (database) {
            Alert a = event.alert();
            return database.transaction(() -> {
                long id = a.id();
                if (id == 0) {
                    try (PreparedStatement p = db.prepareStatement("INSERT INTO alerts(machine_id, category, fault, severity, "
                            + "active, acknowledged, first_seen, last_seen, cleared_at, score, warning, critical, evidence, "
                            + "updated_at, critical_since, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            Statement.RETURN_GENERATED_KEYS)) {
                        p.setString(1, a.machineId());
                        p.setString(2, a.category().id());
                        p.setString(3, a.fault());
                        p.setString(4, a.severity().id());
                        p.setInt(5, a.active() ? 1 : 0);
                        p.setInt(6, a.acknowledged() ? 1 : 0);
                        p.setLong(7, a.firstSeen().toEpochMilli());
                        p.setLong(8, a.lastSeen().toEpochMilli());
                        setLong(p, 9, millis(a.clearedAt()));
                        p.setDouble(10, a.score());
                        p.setDouble(11, a.warning());
                        p.setDouble(12, a.critical());
                        p.setString(13, a.evidence());
                        p.setLong(14, now.toEpochMilli());
                        setLong(p, 15, a.severity() == Severity.CRITICAL ? now.toEpochMilli() : null);
                        setLong(p, 16, ids == null ? null : ids.getAsLong());
                        p.executeUpdate();
                        try (ResultSet keys = p.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                    }
                } else {
                    try (PreparedStatement p = db.prepareStatement("UPDATE alerts SET fault=?, severity=?, active=?, "
                            + "last_seen=?, cleared_at=?, score=?, warning=?, critical=?, evidence=?, updated_at=?, "
                            + "critical_since=COALESCE(critical_since, CASE WHEN ?='critical' THEN ? END) WHERE id=?")) {
                        p.setString(1, a.fault());
                        p.setString(2, a.severity().id());
                        p.setInt(3, a.active() ? 1 : 0);
                        p.setLong(4, a.lastSeen().toEpochMilli());
                        setLong(p, 5, millis(a.clearedAt()));
                        p.setDouble(6, a.score());
                        p.setDouble(7, a.warning());
                        p.setDouble(8, a.critical());
                        p.setString(9, a.evidence());
                        p.setLong(10, now.toEpochMilli());
                        p.setString(11, a.severity().id());
                        p.setLong(12, now.toEpochMilli());
                        p.setLong(13, id);
                        if (p.executeUpdate() != 1) {
                            throw new SQLException("alert " + id + " does not exist");
                        }
                    }
                }
                history(id, now, event.type().id(), "vigil", a.severity().id(), a.fault(), null);
                Alert stored = get(id).orElseThrow();
                outbox.insert(outgoing.apply(stored), now);
                return stored;
            });
        }
    }

    private void history(long id, Instant at, String event, String actor, String severity, String fault, String detail)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO alert_history(alert_id, at, event, actor, severity, "
                + "fault, detail) VALUES (?,?,?,?,?,?,?)")) {
            p.setLong(1, id);
            p.setLong(2, at.toEpochMilli());
            p.setString(3, event);
            p.setString(4, actor);
            p.setString(5, severity);
            p.setString(6, fault);
            p.setString(7, detail);
            p.executeUpdate();
        }
    }

    @Override
    public Optional<Alert> get(long id) throws SQLException {
        synchronized (database) {
            try (PreparedStatement p = db.prepareStatement("SELECT * FROM alerts WHERE id=?")) {
                p.setLong(1, id);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(alert(r)) : Optional.empty();
                }
            }
        }
    }

    /**
     * Which alerts to list; null fields do not filter.
     *
     * @param machines only these machines (null: all)
     * @param openOnly skip resolved alerts
     * @param limit at most this many, newest first
     */
    public record Query(Collection<String> machines, boolean openOnly, Category category, Severity severity,
                        Boolean active, int limit) {
    }

    /** Alerts, newest first; {@code machineId} null for all machines, {@code openOnly} to skip resolved ones. */
    @Override
    public List<Alert> list(String machineId, boolean openOnly) throws SQLException {
        synchronized (database) {
            return list(new Query(machineId == null ? null : List.of(machineId), openOnly, null, null, null, 10_000));
        }
    }

    public List<Alert> list(Query q) throws SQLException {
        synchronized (database) {
            StringBuilder sql = new StringBuilder("SELECT * FROM alerts WHERE 1=1");
            List<Object> args = new ArrayList<>();
            if (q.machines() != null) {
                sql.append(" AND machine_id IN (").append(String.join(",", Collections.nCopies(
                        Math.max(1, q.machines().size()), "?"))).append(")");
                args.addAll(q.machines().isEmpty() ? List.of("") : q.machines());
            }
            if (q.openOnly()) {
                sql.append(" AND resolved_at IS NULL");
            }
            if (q.category() != null) {
                sql.append(" AND category = ?");
                args.add(q.category().id());
            }
            if (q.severity() != null) {
                sql.append(" AND severity = ?");
                args.add(q.severity().id());
            }
            if (q.active() != null) {
                sql.append(" AND active = ?");
                args.add(q.active() ? 1 : 0);
            }
            sql.append(" ORDER BY id DESC LIMIT ?");
            args.add(q.limit());
            try (PreparedStatement p = db.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    p.setObject(i + 1, args.get(i));
                }
                List<Alert> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(alert(r));
                    }
                }
                return out;
            }
        }
    }

    /** How many open alerts share a category, severity, active flag and acknowledged flag. */
    public record OpenCount(Category category, Severity severity, boolean active, boolean acknowledged, long count) {
    }

    /** Open alerts counted by category, severity, active and acknowledged. */
    public List<OpenCount> countOpen() throws SQLException {
        synchronized (database) {
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT category, severity, active, "
                    + "acknowledged, count(*) FROM alerts WHERE resolved_at IS NULL GROUP BY 1, 2, 3, 4")) {
                List<OpenCount> out = new ArrayList<>();
                while (r.next()) {
                    out.add(new OpenCount(Category.parse(r.getString(1)), Severity.parse(r.getString(2)), r.getInt(3) == 1, r.getInt(4) == 1, r.getLong(5)));
                }
                return out;
            }
        }
    }

    /** Engineer actions. */
    @Override
    public Alert acknowledge(long id, String by, Instant at) throws SQLException {
        synchronized (database) {
            return act(id, "UPDATE alerts SET acknowledged=1, acknowledged_by=?, acknowledged_at=?, updated_at=? WHERE id=?",
                    by, at, "acknowledged", null);
        }
    }

    /**
     * Closes the alert with the engineer's verdict.
     *
     * @param confirmedFault for a confirmed alert, the fault found (null: the alert's own hypothesis)
     */
    public Alert resolve(long id, String by, Verdict verdict, String confirmedFault, String note, Instant at)
            throws SQLException {
        synchronized (database) {
            return resolve(id, by, verdict, confirmedFault, note, at, stored -> List.of());
        }
    }

    /** As above, with outbox messages made from the resolved alert in the same transaction. */
    @Override
    public Alert resolve(long id, String by, Verdict verdict, String confirmedFault, String note, Instant at,
                                      Function<Alert, List<OutboxMessage>> outgoing)
            throws SQLException {
        synchronized (database) {
            if (confirmedFault != null && verdict != Verdict.CONFIRMED) {
                throw new IllegalArgumentException("fault is only given with the verdict confirmed");
            }
            return database.transaction(() -> {
                try (PreparedStatement p = db.prepareStatement("UPDATE alerts SET resolved_at=?, resolved_by=?, verdict=?, "
                        + "note=?, updated_at=?, confirmed_fault=CASE WHEN ?='confirmed' THEN COALESCE(?, fault) END "
                        + "WHERE id=? AND resolved_at IS NULL")) {
                    p.setLong(1, at.toEpochMilli());
                    p.setString(2, by);
                    p.setString(3, verdict.id());
                    p.setString(4, note);
                    p.setLong(5, at.toEpochMilli());
                    p.setString(6, verdict.id());
                    p.setString(7, confirmedFault);
                    p.setLong(8, id);
                    if (p.executeUpdate() != 1) {
                        get(id).orElseThrow(() -> new NotFoundException("no alert " + id));
                        throw new IllegalArgumentException("alert " + id + " is already resolved");
                    }
                }
                history(id, at, "resolved", by, null, null, verdict.id() + (note == null ? "" : ": " + note));
                Alert resolved = get(id).orElseThrow();
                outbox.insert(outgoing.apply(resolved), at);
                return resolved;
            });
        }
    }

    private Alert act(long id, String sql, String by, Instant at, String event, String detail) throws SQLException {
        return database.transaction(() -> {
            try (PreparedStatement p = db.prepareStatement(sql)) {
                p.setString(1, by);
                p.setLong(2, at.toEpochMilli());
                p.setLong(3, at.toEpochMilli());
                p.setLong(4, id);
                if (p.executeUpdate() != 1) {
                    throw new NotFoundException("no alert " + id);
                }
            }
            history(id, at, event, by, null, null, detail);
            return get(id).orElseThrow();
        });
    }

    /**
     * Takes over a machine's alerts as another instance of a cluster last handed them on: each is stored with its id
     * and history as given (replacing what this store had of it), and the machine's other open alerts here, which
     * the cluster no longer knows as open, are closed (an instance that owned the machine before kept them). One
     * transaction; no webhook messages (the instance that made the changes announced them).
     */
    @Override
    public void adopt(String machineId, List<Alert> alerts, Map<Long, List<HistoryEntry>> histories, Instant now)
            throws SQLException {
        synchronized (database) {
            database.transaction(() -> {
                Set<Long> given = new HashSet<>();
                for (Alert a : alerts) {
                    if (!a.machineId().equals(machineId)) {
                        throw new IllegalArgumentException("alert " + a.id() + " is for machine " + a.machineId()
                                + ", not " + machineId);
                    }
                    given.add(a.id());
                    delete("DELETE FROM alert_history WHERE alert_id = ?", a.id());
                    try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO alerts(id, machine_id, "
                            + "category, fault, severity, active, acknowledged, acknowledged_by, acknowledged_at, assignee, "
                            + "first_seen, last_seen, cleared_at, resolved_at, resolved_by, verdict, note, score, warning, "
                            + "critical, evidence, updated_at, escalated_at, critical_since, confirmed_fault) "
                            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                        Alert.Handling h = a.handling();
                        p.setLong(1, a.id());
                        p.setString(2, a.machineId());
                        p.setString(3, a.category().id());
                        p.setString(4, a.fault());
                        p.setString(5, a.severity().id());
                        p.setInt(6, a.active() ? 1 : 0);
                        p.setInt(7, a.acknowledged() ? 1 : 0);
                        p.setString(8, h.acknowledgedBy());
                        setLong(p, 9, millis(h.acknowledgedAt()));
                        p.setString(10, h.assignee());
                        p.setLong(11, a.firstSeen().toEpochMilli());
                        p.setLong(12, a.lastSeen().toEpochMilli());
                        setLong(p, 13, millis(a.clearedAt()));
                        setLong(p, 14, millis(a.resolvedAt()));
                        p.setString(15, h.resolvedBy());
                        p.setString(16, h.verdict() == null ? null : h.verdict().id());
                        p.setString(17, h.note());
                        p.setDouble(18, a.score());
                        p.setDouble(19, a.warning());
                        p.setDouble(20, a.critical());
                        p.setString(21, a.evidence());
                        p.setLong(22, now.toEpochMilli());
                        setLong(p, 23, millis(h.escalatedAt()));
                        // escalation counts from when it became critical; taken over, from now at the latest
                        setLong(p, 24, a.severity() == Severity.CRITICAL ? now.toEpochMilli() : null);
                        p.setString(25, h.confirmedFault());
                        p.executeUpdate();
                    }
                    for (HistoryEntry e : histories.getOrDefault(a.id(), List.of())) {
                        history(a.id(), e.at(), e.event(), e.actor(), e.severity(), e.fault(), e.detail());
                    }
                }
                for (Alert mine : list(new Query(List.of(machineId), true, null, null, null, 10_000))) {
                    if (!given.contains(mine.id())) {
                        try (PreparedStatement p = db.prepareStatement("UPDATE alerts SET resolved_at=?, resolved_by=?, "
                                + "updated_at=? WHERE id=?")) {
                            p.setLong(1, now.toEpochMilli());
                            p.setString(2, "vigil");
                            p.setLong(3, now.toEpochMilli());
                            p.setLong(4, mine.id());
                            p.executeUpdate();
                        }
                        history(mine.id(), now, "resolved", "vigil", null, null,
                                "closed here: the cluster's state of the machine no longer has it open");
                    }
                }
                return null;
            });
        }
    }

    /** The alert's history, oldest first. */
    @Override
    public List<HistoryEntry> history(long id) throws SQLException {
        synchronized (database) {
            try (PreparedStatement p = db.prepareStatement("SELECT at, event, actor, severity, fault, detail FROM alert_history "
                    + "WHERE alert_id=? ORDER BY id")) {
                p.setLong(1, id);
                List<HistoryEntry> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new HistoryEntry(Instant.ofEpochMilli(r.getLong(1)), r.getString(2), r.getString(3),
                                r.getString(4), r.getString(5), r.getString(6)));
                    }
                }
                return out;
            }
        }
    }

    /** Sets (or, with null, clears) who is working on the alert. */
    @Override
    public Alert assign(long id, String assignee, String by, Instant at) throws SQLException {
        synchronized (database) {
            return database.transaction(() -> {
                try (PreparedStatement p = db.prepareStatement("UPDATE alerts SET assignee=?, updated_at=? WHERE id=?")) {
                    p.setString(1, assignee);
                    p.setLong(2, at.toEpochMilli());
                    p.setLong(3, id);
                    if (p.executeUpdate() != 1) {
                        throw new NotFoundException("no alert " + id);
                    }
                }
                history(id, at, "assigned", by, null, null, assignee);
                return get(id).orElseThrow();
            });
        }
    }

    /** Adds an engineer's note to the alert's history. */
    @Override
    public Alert comment(long id, String by, String text, Instant at) throws SQLException {
        synchronized (database) {
            return database.transaction(() -> {
                Alert a = get(id).orElseThrow(() -> new NotFoundException("no alert " + id));
                history(id, at, "commented", by, null, null, text);
                return a;
            });
        }
    }

    /**
     * Marks as escalated every open, active, critical alert nobody acknowledged whose critical state began before
     * {@code cutoff}, once; returns them.
     */
    @Override
    public List<Alert> escalateOverdue(Instant cutoff, Instant now, Predicate<String> judged) throws SQLException {
        synchronized (database) {
            return database.transaction(() -> {
                List<Alert> due = new ArrayList<>();
                try (PreparedStatement p = db.prepareStatement("SELECT * FROM alerts WHERE severity='critical' AND active=1 "
                        + "AND acknowledged=0 AND resolved_at IS NULL AND escalated_at IS NULL AND critical_since <= ?")) {
                    p.setLong(1, cutoff.toEpochMilli());
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            Alert a = alert(r);
                            if (judged.test(a.machineId())) {
                                due.add(a);
                            }
                        }
                    }
                }
                List<Alert> out = new ArrayList<>();
                for (Alert a : due) {
                    try (PreparedStatement p = db.prepareStatement("UPDATE alerts SET escalated_at=?, updated_at=? WHERE id=?")) {
                        p.setLong(1, now.toEpochMilli());
                        p.setLong(2, now.toEpochMilli());
                        p.setLong(3, a.id());
                        p.executeUpdate();
                    }
                    history(a.id(), now, "escalated", "vigil", a.severity().id(), a.fault(), "critical and unacknowledged");
                    out.add(get(a.id()).orElseThrow());
                }
                return out;
            });
        }
    }

    private static Instant instant(ResultSet r, String col) throws SQLException {
        long v = r.getLong(col);
        return r.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Alert alert(ResultSet r) throws SQLException {
        String verdict = r.getString("verdict");
        return new Alert(r.getLong("id"), r.getString("machine_id"), Category.parse(r.getString("category")),
                r.getString("fault"), Severity.parse(r.getString("severity")), r.getInt("active") == 1, r.getInt("acknowledged") == 1, instant(r, "first_seen"),
                instant(r, "last_seen"), instant(r, "cleared_at"), instant(r, "resolved_at"), r.getDouble("score"),
                r.getDouble("warning"), r.getDouble("critical"), r.getString("evidence"), new Alert.Handling(
                r.getString("acknowledged_by"), instant(r, "acknowledged_at"), r.getString("assignee"),
                instant(r, "escalated_at"), r.getString("resolved_by"), verdict == null ? null : Verdict.parse(verdict), r.getString("note"),
                r.getString("confirmed_fault")));
    }
}
