package dev.vigil.runtime.score;

import dev.vigil.runtime.store.MachineStore;
import dev.vigil.runtime.store.NotFoundException;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Engineers' false-alarm verdicts raise that machine's alert levels, within bounds (docs/CONFIG.md, feedback):
 * each machine alert resolved as {@code false-alarm} multiplies the machine's warning and critical levels by
 * {@code step}, up to {@code max} times the calibrated levels. Confirmed faults never lower them; an admin can
 * reset a machine to its calibrated levels. The factor is stored and survives restarts and model deployments.
 * Blocking: call from workers.
 */
public final class LevelFeedback {
    private final Map<String, MachineStream> machines;
    private final MachineStore store;
    private final double step;
    private final double max;
    private final Clock clock;
    private final Consumer<String> changed;

    public LevelFeedback(Map<String, MachineStream> machines, MachineStore store, double step, double max, Clock clock) {
        this(machines, store, step, max, clock, m -> { });
    }

    /** @param changed told of each machine whose feedback changed (a cluster hands it on with the machine) */
    public LevelFeedback(Map<String, MachineStream> machines, MachineStore store, double step, double max, Clock clock,
                         Consumer<String> changed) {
        if (!(step >= 1) || !(max >= 1)) {
            throw new IllegalArgumentException("feedback step and max must be at least 1");
        }
        this.machines = machines;
        this.store = store;
        this.step = step;
        this.max = max;
        this.clock = clock;
        this.changed = changed;
    }

    /** Applies the stored factors (at start). */
    public void restore() throws SQLException {
        for (MachineStream m : machines.values()) {
            store.feedback(m.machineId()).ifPresent(f -> m.scaleLevels(Math.min(max, f.thresholdFactor())));
        }
    }

    /** One more false alarm on this machine; returns the new factor. */
    public synchronized double falseAlarm(String machineId) throws SQLException {
        MachineStream m = machines.get(machineId);
        if (m == null) {
            return 1;
        }
        var before = store.feedback(machineId).orElse(new MachineStore.Feedback(machineId, 0, 1, clock.instant()));
        double factor = Math.min(max, before.thresholdFactor() * step);
        store.saveFeedback(new MachineStore.Feedback(machineId, before.falseAlarms() + 1, factor, clock.instant()));
        m.scaleLevels(factor);
        changed.accept(machineId);
        return factor;
    }

    /** The machine's stored feedback, if any engineer gave some. */
    public synchronized java.util.Optional<MachineStore.Feedback> of(String machineId) throws SQLException {
        return store.feedback(machineId);
    }

    /**
     * Takes over the feedback another instance of a cluster handed on with the machine (or, with null, none: the
     * calibrated levels).
     */
    public synchronized void adopt(String machineId, MachineStore.Feedback handedOn) throws SQLException {
        MachineStream m = machines.get(machineId);
        if (m == null) {
            return;
        }
        MachineStore.Feedback f = handedOn != null ? handedOn
                : new MachineStore.Feedback(machineId, 0, 1, clock.instant());
        store.saveFeedback(f);
        m.scaleLevels(Math.min(max, f.thresholdFactor()));
    }

    /** Back to the calibrated levels. */
    public synchronized void reset(String machineId) throws SQLException {
        MachineStream m = machines.get(machineId);
        if (m == null) {
            throw new NotFoundException("unknown machine '" + machineId + "'");
        }
        var before = store.feedback(machineId).orElse(new MachineStore.Feedback(machineId, 0, 1, clock.instant()));
        store.saveFeedback(new MachineStore.Feedback(machineId, before.falseAlarms(), 1, clock.instant()));
        m.scaleLevels(1);
        changed.accept(machineId);
    }
}
