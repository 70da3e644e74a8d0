package dev.vigil.runtime.alert;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.store.AlertStore;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assessments to stored alerts: each machine's {@link AlertTracker} decides, the {@link AlertStore} keeps. Called
 * on the worker that scored the windows, in window order per machine.
 */
public final class AlertPipeline {
    private final AlertStore store;
    private final Clock clock;
    private final int sensorWindows;
    private final Map<String, AlertTracker> trackers = new ConcurrentHashMap<>();

    public AlertPipeline(AlertStore store, Clock clock, int sensorWindows) {
        this.store = store;
        this.clock = clock;
        this.sensorWindows = sensorWindows;
    }

    public AlertStore store() {
        return store;
    }

    public List<AlertEvent> accept(String machineId, List<Assessment> assessments) throws SQLException {
        AlertTracker tracker = trackers.computeIfAbsent(machineId, id -> new AlertTracker(id, sensorWindows));
        List<AlertEvent> stored = new java.util.ArrayList<>();
        for (Assessment a : assessments) {
            for (AlertEvent e : tracker.update(a)) {
                Alert saved = store.save(e, clock.instant());
                tracker.stored(saved);
                stored.add(new AlertEvent(e.type(), saved));
            }
        }
        return stored;
    }
}
