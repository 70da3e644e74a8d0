package dev.vigil.runtime.alert;

import dev.vigil.domain.FaultType;
import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.stream.Arrivals;
import io.vertx.core.json.JsonObject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Everything that changes an alert goes through here, so that every change is stored, then published: the
 * machines' assessments (each machine's {@link AlertTracker} decides), engineers' actions, and escalation.
 * At start the trackers are restored from the store's open alerts, so a restart updates the alert it left
 * instead of raising a duplicate. JDBC blocks: call from workers.
 */
public final class AlertService {
    private final AlertRepository store;
    private final Clock clock;
    private final int sensorWindows;
    private final Duration escalateAfter;
    private final Consumer<AlertEvent> publish;
    private final BiFunction<AlertEvent.Type, Alert, List<OutboxMessage>> outgoing;
    /** No webhook messages: for a service without schedulers (tests). */
    public static final BiFunction<AlertEvent.Type, Alert, List<OutboxMessage>> NO_WEBHOOKS = (type, a) -> List.of();
    private final Map<String, AlertTracker> trackers = new ConcurrentHashMap<>();
    /** Assessments whose alert changes could not be stored yet, per machine, oldest first (bounded). */
    private final Map<String, List<Assessment>> unstored = new ConcurrentHashMap<>();
    private static final int MAX_UNSTORED = 100_000;

    /**
     * @param escalateAfter how long a critical alert may stay unacknowledged before it is escalated
     * @param outgoing the webhook messages for each stored change, written in the same transaction as the change
     * @param publish receives every stored change (the event bus, for live subscribers)
     */
    public AlertService(AlertRepository store, Clock clock, int sensorWindows, Duration escalateAfter,
                        BiFunction<AlertEvent.Type, Alert, List<OutboxMessage>> outgoing, Consumer<AlertEvent> publish)
            throws SQLException {
        this.store = store;
        this.clock = clock;
        this.sensorWindows = sensorWindows;
        this.escalateAfter = escalateAfter;
        this.outgoing = outgoing;
        this.publish = publish;
        for (Alert open : store.list(null, true)) {
            tracker(open.machineId()).restore(open);
        }
    }

    /** The stored alert, if there is one. */
    public Optional<Alert> get(long id) throws SQLException {
        return store.get(id);
    }

    private AlertTracker tracker(String machineId) {
        return trackers.computeIfAbsent(machineId, id -> new AlertTracker(id, sensorWindows));
    }

    /**
     * One machine's assessments, in window order; returns the stored events.
     *
     * @param modelVersion the version of the model that made them (kept in the alert's evidence)
     */
    public List<AlertEvent> accept(String machineId, String modelVersion, List<Assessment> assessments)
            throws SQLException {
        AlertTracker tracker = tracker(machineId);
        List<AlertEvent> stored;
        synchronized (tracker) {
            // the changes of earlier windows that could not be stored come first, in order, and all of them are
            // stored in one transaction or none is: the tracker moves on only with what was committed, so a failed
            // write (disk full, the database locked) never leaves it believing in an alert that was never stored
            List<Assessment> todo = new ArrayList<>(unstored.getOrDefault(machineId, List.of()));
            todo.addAll(assessments);
            AlertTracker.State before = tracker.state();
            try {
                stored = store.atomically(() -> {
                    List<AlertEvent> out = new ArrayList<>();
                    for (Assessment a : todo) {
                        for (AlertEvent e : tracker.update(a, modelVersion)) {
                            Alert saved = store.save(e, clock.instant(), alert -> outgoing.apply(e.type(), alert));
                            tracker.stored(saved);
                            out.add(new AlertEvent(e.type(), saved, "vigil"));
                        }
                    }
                    return out;
                });
                unstored.remove(machineId);
            } catch (SQLException | RuntimeException e) {
                tracker.restore(before);
                unstored.put(machineId, List.copyOf(todo.subList(Math.max(0, todo.size() - MAX_UNSTORED), todo.size())));
                throw e;
            }
        }
        stored.forEach(publish);
        return stored;
    }

    /**
     * Takes over a machine from another instance of a cluster: its alerts (open ones and recent closed ones, with
     * their ids and histories) as that instance last handed them on. The machine's tracker starts again from the open
     * ones, so the next windows update the alert in progress instead of raising a second one.
     *
     * @return the changes this store had not seen yet, one per history entry new here, oldest first per alert (for
     *         the live event streams of this instance; nothing else follows from them here)
     */
    public List<AlertEvent> adopt(String machineId, List<Alert> alerts, Map<Long, List<HistoryEntry>> histories)
            throws SQLException {
        AlertTracker tracker = new AlertTracker(machineId, sensorWindows);
        Map<Long, Integer> known = new java.util.HashMap<>();
        synchronized (tracker(machineId)) {
            for (Alert a : alerts) {
                known.put(a.id(), store.history(a.id()).size());
            }
            store.adopt(machineId, alerts, histories, clock.instant());
            alerts.stream().filter(Alert::open).sorted(java.util.Comparator.comparingLong(Alert::id).reversed())
                    .forEach(tracker::restore);
            unstored.remove(machineId);
            trackers.put(machineId, tracker);
        }
        List<AlertEvent> news = new ArrayList<>();
        for (Alert a : alerts) {
            List<HistoryEntry> h = histories.getOrDefault(a.id(), List.of());
            for (int i = known.getOrDefault(a.id(), 0); i < h.size(); i++) {
                for (AlertEvent.Type t : AlertEvent.Type.values()) {
                    if (t.id().equals(h.get(i).event())) {
                        news.add(new AlertEvent(t, a, h.get(i).actor()));
                    }
                }
            }
        }
        return news;
    }

    /**
     * A machine's alerts to hand on to the instance of a cluster that takes it over: the open ones and the
     * {@code resolved} newest resolved ones, newest first.
     */
    public List<Alert> handOver(String machineId, int resolved) throws SQLException {
        List<Alert> out = new ArrayList<>(store.list(machineId, true));
        store.list(machineId, false).stream().filter(a -> !a.open()).limit(resolved).forEach(out::add);
        return out;
    }

    /** The alert's history, oldest first. */
    public List<HistoryEntry> history(long id) throws SQLException {
        return store.history(id);
    }

    /** Whether some of the machine's assessments still wait for their alert changes to be stored. */
    public boolean hasUnstored(String machineId) {
        return unstored.containsKey(machineId);
    }

    /**
     * The stale-data watchdog: a machine whose data stopped getting in for {@code after} (it sent nothing, or
     * everything it sent was refused) gets a sensor alert, {@code stale} or {@code refusing-data}; it clears when
     * data is accepted again. A machine never heard of since the service started is left alone.
     *
     * @param arrivals each machine's arrivals
     */
    public List<AlertEvent> checkStale(Map<String, Arrivals.Snapshot> arrivals, Duration after) throws SQLException {
        List<AlertEvent> stored = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<String, Arrivals.Snapshot> e : arrivals.entrySet()) {
            Arrivals.Snapshot s = e.getValue();
            if (s.silentSinceMillis() == 0) {
                continue;
            }
            Instant since = Instant.ofEpochMilli(s.silentSinceMillis());
            boolean refusing = s.refusingWithin(now.toEpochMilli(), after.toMillis());
            String problem = refusing ? "refusing data: " + s.refusedSinceAccepted() + " frames or requests refused since "
                    + Instant.ofEpochMilli(s.firstRefusedMillis()) + (s.lastAcceptedMillis() == 0
                    ? ", none accepted since Vigil started" : ", none accepted since " + since) + "; the last: "
                    + s.lastReason() : "no frames since " + since;
            AlertTracker tracker = tracker(e.getKey());
            synchronized (tracker) {
                AlertTracker.State before = tracker.state();
                try {
                    for (AlertEvent ev : tracker.stale(since.plus(after).isBefore(now),
                            refusing ? AlertTracker.REFUSING : AlertTracker.STALE, problem, since, now)) {
                        Alert saved = store.save(ev, now, alert -> outgoing.apply(ev.type(), alert));
                        tracker.stored(saved);
                        stored.add(new AlertEvent(ev.type(), saved, "vigil"));
                    }
                } catch (SQLException | RuntimeException failed) {
                    tracker.restore(before); // decided again on the next check
                    stored.forEach(publish);
                    throw failed;
                }
            }
        }
        stored.forEach(publish);
        return stored;
    }

    /**
     * A sensor alert about the monitoring itself rather than the machine (a model that fell back at start): raised
     * once, stored and announced like any other, closed by an engineer.
     */
    public Alert raise(String machineId, String fault, String problem) throws SQLException {
        Instant now = clock.instant();
        AlertEvent e = new AlertEvent(AlertEvent.Type.RAISED, Alert.open(machineId, Category.SENSOR, fault, Severity.WARNING,
                now, now, Double.NaN, Double.NaN, Double.NaN, new JsonObject().put("problem", problem).encode()));
        Alert saved = store.save(e, now, alert -> outgoing.apply(e.type(), alert));
        publish.accept(new AlertEvent(AlertEvent.Type.RAISED, saved, "vigil"));
        return saved;
    }

    public Alert acknowledge(long id, String by) throws SQLException {
        return published(AlertEvent.Type.ACKNOWLEDGED, store.acknowledge(id, by, clock.instant()), by);
    }

    /** @param assignee who takes it, or null to unassign */
    public Alert assign(long id, String assignee, String by) throws SQLException {
        return published(AlertEvent.Type.ASSIGNED, store.assign(id, assignee, by, clock.instant()), by);
    }

    public Alert comment(long id, String by, String text) throws SQLException {
        return published(AlertEvent.Type.COMMENTED, store.comment(id, by, text, clock.instant()), by);
    }

    /**
     * Closes the alert. If its condition is still present the machine's tracker forgets it, so the next
     * window that shows the condition raises a new alert rather than updating a closed one.
     */
    public Alert resolve(long id, String by, Verdict verdict, String confirmedFault, String note) throws SQLException {
        if (confirmedFault != null) {
            FaultType.parse(confirmedFault);
        }
        Alert resolved = store.resolve(id, by, verdict, confirmedFault, note, clock.instant(),
                stored -> outgoing.apply(AlertEvent.Type.RESOLVED, stored));
        AlertTracker tracker = tracker(resolved.machineId());
        synchronized (tracker) {
            tracker.forget(resolved.id());
        }
        return published(AlertEvent.Type.RESOLVED, resolved, by);
    }

    /** Escalates critical alerts left unacknowledged for longer than the configured time; returns them. */
    public List<Alert> escalate() throws SQLException {
        return escalate(m -> true);
    }

    /**
     * As {@link #escalate()}, for the machines {@code judged} accepts (an instance of a cluster escalates the alerts
     * of the machines it scores; the others it only shows).
     */
    public List<Alert> escalate(Predicate<String> judged) throws SQLException {
        List<Alert> due = store.escalateOverdue(clock.instant().minus(escalateAfter), clock.instant(), judged);
        due.forEach(a -> publish.accept(new AlertEvent(AlertEvent.Type.ESCALATED, a, "vigil")));
        return due;
    }

    private Alert published(AlertEvent.Type type, Alert a, String actor) {
        publish.accept(new AlertEvent(type, a, actor));
        return a;
    }
}
