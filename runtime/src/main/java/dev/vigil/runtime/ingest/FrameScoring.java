package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.record.Recorder;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.score.PartlyTakenException;
import dev.vigil.runtime.score.ScoreRecorder;
import dev.vigil.runtime.stream.FrameException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The blocking part every transport shares: frames into the machine's stream, the assessments into alerts and
 * the score history. One machine at a time, whichever transport its frames came by (HTTP, WebSocket and MQTT
 * workers must not interleave a machine's windows and alert updates).
 */
public final class FrameScoring {
    private final AlertService alerts;
    private final ScoreRecorder history;
    private final Clock clock;
    private final DataClock dataClock;
    private final Metrics metrics;
    private final Recorder recordings;

    /**
     * @param alerts where assessments become alerts, or null to only score
     * @param history the score history, or null
     * @param recordings spools every scored machine's frames for captures, or null when recording is off
     * @param dataClock how far from the service clock data may be stamped
     */
    public FrameScoring(AlertService alerts, ScoreRecorder history, Recorder recordings, Clock clock, DataClock dataClock,
                        Metrics metrics) {
        this.alerts = alerts;
        this.history = history;
        this.recordings = recordings;
        this.clock = clock;
        this.dataClock = dataClock;
        this.metrics = metrics;
    }

    /** Scoring only: no alerts, no history, data of any date (tests of the ingest path alone replay old data). */
    public static FrameScoring scoreOnly() {
        return new FrameScoring(null, null, null, Clock.systemUTC(), DataClock.unbounded(), Metrics.create());
    }

    public Metrics metrics() {
        return metrics;
    }

    /** @param transport http, websocket, mqtt or json (for the metrics) */
    public List<Assessment> score(MachineStream machine, List<Frame> frames, String transport) throws Exception {
        long now = clock.millis();
        try {
            for (Frame f : frames) {
                dataClock.check(f);
            }
        } catch (ClockSkewException e) {
            machine.arrivals().refused(now, e.getMessage());
            throw e;
        }
        for (Frame f : frames) {
            metrics.frame(transport, f.samples().length);
        }
        List<Assessment> out;
        try {
            out = score(machine, now, () -> machine.accept(frames));
        } catch (PartlyTakenException e) {
            record(machine, frames.subList(0, e.count()));
            throw e;
        }
        record(machine, frames);
        return out;
    }

    private void record(MachineStream machine, List<Frame> frames) throws Exception {
        Recorder r = recordings;
        if (r != null && !frames.isEmpty()) {
            Assessment latest = machine.latest();
            r.append(machine.machineId(), frames, latest != null && latest.level() == Level.NORMAL);
        }
    }

    /** Tabular readings (already-aggregated values) for a machine with a tabular model. */
    public List<Assessment> scoreReadings(MachineStream machine, List<MachineStream.Reading> readings) throws Exception {
        long now = clock.millis();
        try {
            for (int i = 0; i < readings.size(); i++) {
                dataClock.check(readings.get(i).time(), "reading " + (i + 1));
            }
        } catch (ClockSkewException e) {
            machine.arrivals().refused(now, e.getMessage());
            throw e;
        }
        metrics.frame("readings", readings.size());
        return score(machine, now, () -> machine.acceptReadings(readings));
    }

    /**
     * The end of the window that made this change: a clearing keeps the alert's last anomalous window as its
     * {@code lastSeen}, and is made by the later window that cleared it ({@code clearedAt}); measured from
     * {@code lastSeen}, every clearing's "latency" was how long the machine took to settle (a minute in
     * {@code vigil loadgen}).
     */
    static Instant changedBy(AlertEvent e) {
        return e.type() == AlertEvent.Type.CLEARED && e.alert().clearedAt() != null ? e.alert().clearedAt()
                : e.alert().lastSeen();
    }

    private void alertLatency(List<AlertEvent> events) {
        for (AlertEvent e : events) {
            // replayed recordings carry old timestamps: only live data has a meaningful latency
            Duration latency = Duration.between(changedBy(e), clock.instant());
            if (!latency.isNegative() && latency.compareTo(Duration.ofHours(1)) < 0) {
                metrics.alertLatency(latency);
            }
        }
    }

    private List<Assessment> score(MachineStream machine, long now, java.util.concurrent.Callable<List<Assessment>> accept)
            throws Exception {
        long t0 = System.nanoTime();
        synchronized (machine) {
            if (alerts != null && alerts.hasUnstored(machine.machineId())) {
                // the store failed on this machine's last alert changes: they are stored first, or nothing new is
                // taken (the caller is refused and sends again)
                alertLatency(alerts.accept(machine.machineId(), machine.modelVersion(), List.of()));
            }
            List<Assessment> assessed;
            PartlyTakenException partly = null;
            try {
                assessed = accept.call();
            } catch (PartlyTakenException e) {
                // the batch's first part was taken: its windows are recorded and alerted, then the rest refused
                partly = e;
                assessed = e.taken();
            } catch (FrameException e) {
                // refused data does not keep a machine fresh: a stream that no longer fits (every frame late)
                // must reach the stale-data watchdog, not look alive
                machine.arrivals().refused(now, e.getMessage());
                throw e;
            }
            machine.arrivals().accepted(now);
            if (partly != null) {
                machine.arrivals().refused(now, partly.getMessage());
            }
            if (!assessed.isEmpty()) {
                if (history != null) {
                    history.record(machine.machineId(), machine.modelVersion(), assessed);
                }
                if (alerts != null) {
                    alertLatency(alerts.accept(machine.machineId(), machine.modelVersion(), assessed));
                }
                metrics.scored(assessed.size(), System.nanoTime() - t0);
                long done = clock.millis();
                for (Assessment a : assessed) {
                    // replayed recordings carry old timestamps: only live data has a meaningful latency
                    long ms = done - a.epochMillis();
                    if (ms >= 0 && ms < 3_600_000) {
                        metrics.windowLatency(Duration.ofMillis(ms));
                    }
                }
            }
            if (partly != null) {
                throw partly;
            }
            return assessed;
        }
    }
}
