package dev.vigil.runtime.alert;

import dev.vigil.model.explain.Contribution;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one machine's assessments into alert events: one machine alert at a time (raised when the model's
 * alarm rises, its severity and fault hypothesis updated as the fault grows, cleared when the alarm clears),
 * and sensor alerts for sensor problems that persist {@code sensorWindows} windows. Not thread-safe: one per
 * machine, fed in window order.
 */
public final class AlertTracker {
    /** The fault of a stale-data alert: nothing arrives. */
    public static final String STALE = "stale";
    /** The fault of the same alert when data arrives but every frame is refused (a wrong clock, say). */
    public static final String REFUSING = "refusing-data";
    private final String machineId;
    private final int sensorWindows;
    private Alert machine;
    private Instant aboveSince;
    private Alert sensor;
    private Alert stale;
    private String sensorIssue;
    private int sensorRun;
    private int sensorQuiet;

    /** Everything the tracker knows, to put back when the changes it decided on could not be stored. */
    record State(Alert machine, Instant aboveSince, Alert sensor, Alert stale, String sensorIssue, int sensorRun,
                 int sensorQuiet) {
    }

    State state() {
        return new State(machine, aboveSince, sensor, stale, sensorIssue, sensorRun, sensorQuiet);
    }

    void restore(State s) {
        machine = s.machine();
        aboveSince = s.aboveSince();
        sensor = s.sensor();
        stale = s.stale();
        sensorIssue = s.sensorIssue();
        sensorRun = s.sensorRun();
        sensorQuiet = s.sensorQuiet();
    }

    public AlertTracker(String machineId, int sensorWindows) {
        this.machineId = machineId;
        this.sensorWindows = Math.max(1, sensorWindows);
    }

    /** Alerts currently tracked (machine first), for restoring the state into a store view. */
    public List<Alert> current() {
        List<Alert> out = new ArrayList<>();
        if (machine != null) {
            out.add(machine);
        }
        if (sensor != null) {
            out.add(sensor);
        }
        if (stale != null) {
            out.add(stale);
        }
        return out;
    }

    /** Takes back an open alert from the store after a restart (newest first wins). */
    public void restore(Alert open) {
        if (silence(open.fault())) {
            stale = stale == null ? open : stale;
        } else if (open.category() == Category.MACHINE && machine == null) {
            machine = open;
        } else if (open.category() == Category.SENSOR && sensor == null) {
            sensor = open;
            sensorIssue = open.active() ? open.fault() : null;
            sensorRun = open.active() ? sensorWindows : 0;
        }
    }

    /** An engineer resolved this alert: stop updating it. */
    public void forget(long alertId) {
        if (machine != null && machine.id() == alertId) {
            machine = null;
        }
        if (stale != null && stale.id() == alertId) {
            stale = null;
        }
        if (sensor != null && sensor.id() == alertId) {
            sensor = null;
            sensorRun = 0;
            sensorIssue = null;
        }
    }

    /** Lets the store assign ids: the tracker keeps the stored version. */
    public void stored(Alert a) {
        if (silence(a.fault())) {
            stale = a;
        } else if (machine != null && a.category() == Category.MACHINE) {
            machine = a;
        } else if (sensor != null && a.category() == Category.SENSOR) {
            sensor = a;
        }
    }

    public List<AlertEvent> update(Assessment a) {
        return update(a, null);
    }

    private static boolean silence(String fault) {
        return STALE.equals(fault) || REFUSING.equals(fault);
    }

    /**
     * The stale-data watchdog's verdict: a sensor alert while no data gets in ({@link #STALE} when nothing arrives,
     * {@link #REFUSING} when data arrives but is refused; one alert that changes fault if the cause changes),
     * cleared when data is accepted again.
     *
     * @param fault {@link #STALE} or {@link #REFUSING}
     * @param problem what the evidence says
     * @param since when data last got in (or was first refused, if it never got in)
     */
    public List<AlertEvent> stale(boolean isStale, String fault, String problem, Instant since, Instant now) {
        String evidence = new JsonObject().put("problem", problem).encode();
        if (isStale && (stale == null || !stale.active())) {
            boolean fresh = stale == null;
            stale = fresh ? Alert.open(machineId, Category.SENSOR, fault, Severity.WARNING, since, now, Double.NaN,
                    Double.NaN, Double.NaN, evidence)
                    : stale.active(fault, Severity.WARNING, now, Double.NaN, Double.NaN, Double.NaN, evidence);
            return List.of(new AlertEvent(fresh ? AlertEvent.Type.RAISED : AlertEvent.Type.REACTIVATED, stale));
        }
        if (isStale && !stale.fault().equals(fault)) {
            stale = stale.active(fault, Severity.WARNING, now, Double.NaN, Double.NaN, Double.NaN, evidence);
            return List.of(new AlertEvent(AlertEvent.Type.UPDATED, stale));
        }
        if (!isStale && stale != null && stale.active()) {
            stale = stale.cleared(since, now, Double.NaN, Double.NaN, Double.NaN);
            return List.of(new AlertEvent(AlertEvent.Type.CLEARED, stale));
        }
        return List.of();
    }

    /** @param modelVersion the version of the model that scored the window, recorded in the evidence (or null) */
    public List<AlertEvent> update(Assessment a, String modelVersion) {
        Instant t = Instant.ofEpochMilli(a.epochMillis());
        List<AlertEvent> events = new ArrayList<>();
        machine(a, t, modelVersion, events);
        sensor(a, t, events);
        return events;
    }

    private void machine(Assessment a, Instant t, String modelVersion, List<AlertEvent> events) {
        if (a.score() == a.score()) {
            if (a.smoothed() > a.warning()) {
                aboveSince = aboveSince == null ? t : aboveSince;
            } else if (!a.alarm()) {
                aboveSince = null;
            }
        }
        Severity severity = a.level() == Level.CRITICAL ? Severity.CRITICAL : Severity.WARNING;
        if (a.alarm()) {
            String fault = a.hypothesis() != null ? a.hypothesis().id() : machine != null ? machine.fault() : "unknown";
            String evidence = a.hypothesis() != null ? evidence(a, modelVersion) : machine != null ? machine.evidence() : "{}";
            double score = a.smoothed();
            if (machine == null || !machine.active()) {
                boolean reactivated = machine != null;
                Instant since = aboveSince != null ? aboveSince : t;
                machine = machine == null
                        ? Alert.open(machineId, Category.MACHINE, fault, severity, since, t, score, a.warning(),
                        a.critical(), evidence)
                        : machine.active(fault, severity, t, score, a.warning(), a.critical(), evidence);
                events.add(new AlertEvent(reactivated ? AlertEvent.Type.REACTIVATED : AlertEvent.Type.RAISED, machine));
            } else {
                // severity only grows while active; the hypothesis and evidence follow the growing fault
                Severity newSeverity = machine.severity() == Severity.CRITICAL ? Severity.CRITICAL : severity;
                boolean changed = newSeverity != machine.severity() || !fault.equals(machine.fault());
                machine = machine.active(fault, newSeverity, t, score, a.warning(), a.critical(), evidence);
                if (changed) {
                    events.add(new AlertEvent(AlertEvent.Type.UPDATED, machine));
                }
            }
        } else if (machine != null && machine.active() && a.score() == a.score()) {
            machine = machine.cleared(machine.lastSeen(), t, a.smoothed(), a.warning(), a.critical());
            events.add(new AlertEvent(AlertEvent.Type.CLEARED, machine));
        }
    }

    private void sensor(Assessment a, Instant t, List<AlertEvent> events) {
        String issue = a.sensorIssue();
        if (issue != null) {
            sensorRun = issue.equals(sensorIssue) ? sensorRun + 1 : 1;
            sensorIssue = issue;
            sensorQuiet = 0;
            if (sensorRun >= sensorWindows && (sensor == null || !sensor.active() || !sensor.fault().equals(issue))) {
                boolean fresh = sensor == null || !sensor.fault().equals(issue);
                String evidence = new JsonObject().put("problem", issue).encode();
                sensor = fresh ? Alert.open(machineId, Category.SENSOR, issue, Severity.WARNING, t, t, Double.NaN,
                        a.warning(), a.critical(), evidence)
                        : sensor.active(issue, Severity.WARNING, t, Double.NaN, a.warning(), a.critical(), evidence);
                events.add(new AlertEvent(fresh ? AlertEvent.Type.RAISED : AlertEvent.Type.REACTIVATED, sensor));
            } else if (sensor != null && sensor.active()) {
                sensor = sensor.active(sensor.fault(), Severity.WARNING, t, Double.NaN, a.warning(), a.critical(),
                        sensor.evidence());
            }
        } else {
            sensorRun = 0;
            if (sensor != null && sensor.active() && ++sensorQuiet >= sensorWindows) {
                sensor = sensor.cleared(sensor.lastSeen(), t, Double.NaN, a.warning(), a.critical());
                events.add(new AlertEvent(AlertEvent.Type.CLEARED, sensor));
            }
        }
    }

    private static String evidence(Assessment a, String modelVersion) {
        var e = a.hypothesis().evidence();
        JsonObject ev = new JsonObject().put("feature", e.feature()).put("value", e.value()).put("expected", e.expected())
                .put("z", e.z());
        if (e.frequencyHz() == e.frequencyHz()) {
            ev.put("frequencyHz", e.frequencyHz());
        }
        JsonArray top = new JsonArray();
        for (Contribution c : a.top()) {
            top.add(new JsonObject().put("feature", c.feature()).put("channel", c.channel()).put("share", c.share())
                    .put("value", c.value()).put("expected", c.expected()));
        }
        JsonObject out = new JsonObject().put("hypothesis", a.hypothesis().id())
                .put("confidence", a.hypothesis().confidence()).put("evidence", ev).put("top", top)
                .put("model", modelVersion).put("channels", new JsonObject(new java.util.LinkedHashMap<>(a.channelShares())));
        if (a.isoZone() != null) {
            // ISO 10816 zone of the highest vibration velocity, where a machine group is configured
            out.put("isoZone", a.isoZone()).put("velocityRmsMmS", a.velocityRms());
        }
        return out.encode();
    }
}
