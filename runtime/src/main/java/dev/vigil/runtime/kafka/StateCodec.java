package dev.vigil.runtime.kafka;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.alert.Verdict;
import dev.vigil.runtime.score.ModelDrift;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.MachineStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted form of a {@link MachineState} in the state topic (docs/SCALE-OUT.md): JSON, {@code "format":
 * "vigil-machine-state", "version": 1}, times as epoch milliseconds, a score that is not a number as null. Kept apart
 * from the live records so either can change without the other; a record this version cannot read is refused with
 * the field that is wrong.
 */
final class StateCodec {
    static final String FORMAT = "vigil-machine-state";
    static final int VERSION = 1;

    byte[] encode(MachineState s) {
        JsonArray alerts = new JsonArray();
        for (Alert a : s.alerts()) {
            Alert.Handling h = a.handling();
            JsonArray history = new JsonArray();
            for (HistoryEntry e : s.histories().getOrDefault(a.id(), List.of())) {
                history.add(new JsonObject().put("at", e.at().toEpochMilli()).put("event", e.event())
                        .put("actor", e.actor()).put("severity", e.severity()).put("fault", e.fault())
                        .put("detail", e.detail()));
            }
            alerts.add(new JsonObject().put("id", a.id()).put("category", a.category().id()).put("fault", a.fault())
                    .put("severity", a.severity().id()).put("active", a.active()).put("acknowledged", a.acknowledged())
                    .put("firstSeen", millis(a.firstSeen())).put("lastSeen", millis(a.lastSeen()))
                    .put("clearedAt", millis(a.clearedAt())).put("resolvedAt", millis(a.resolvedAt()))
                    .put("score", number(a.score())).put("warning", number(a.warning()))
                    .put("critical", number(a.critical())).put("evidence", a.evidence())
                    .put("handling", new JsonObject().put("acknowledgedBy", h.acknowledgedBy())
                            .put("acknowledgedAt", millis(h.acknowledgedAt())).put("assignee", h.assignee())
                            .put("escalatedAt", millis(h.escalatedAt())).put("resolvedBy", h.resolvedBy())
                            .put("verdict", h.verdict() == null ? null : h.verdict().id()).put("note", h.note())
                            .put("confirmedFault", h.confirmedFault()))
                    .put("history", history));
        }
        JsonArray messages = new JsonArray();
        for (OutboxMessage m : s.undelivered()) {
            messages.add(new JsonObject().put("endpoint", m.endpoint()).put("eventId", m.eventId()).put("type", m.type())
                    .put("body", m.body()));
        }
        JsonObject out = new JsonObject().put("format", FORMAT).put("version", VERSION).put("machine", s.machineId())
                .put("writtenBy", s.writtenBy()).put("at", s.at().toEpochMilli()).put("alerts", alerts).put("undelivered", messages);
        if (s.alarm() != null) {
            Calibration.AlarmState a = s.alarm();
            out.put("alarm", new JsonObject().put("smoothed", number(a.smoothed())).put("above", a.above())
                    .put("below", a.below()).put("alarm", a.alarm()).put("rawAbove", a.rawAbove()));
        }
        if (s.feedback() != null) {
            out.put("feedback", new JsonObject().put("falseAlarms", s.feedback().falseAlarms())
                    .put("factor", s.feedback().thresholdFactor())
                    .put("updatedAt", s.feedback().updatedAt().toEpochMilli()));
        }
        if (s.schedulerAck() != null) {
            out.put("schedulerAck", new JsonObject().put("by", s.schedulerAck().by())
                    .put("at", s.schedulerAck().at().toEpochMilli()).put("excluded", s.schedulerAck().excluded()));
        }
        if (s.drift() != null) {
            DriftFollower.State d = s.drift().state();
            JsonArray offsets = new JsonArray();
            for (double v : d.offsets()) {
                offsets.add(number(v));
            }
            out.put("drift", new JsonObject().put("model", s.drift().version()).put("features", new JsonArray(d.features()))
                    .put("offsets", offsets).put("learned", d.learned()).put("held", d.held())
                    .put("lastMillis", d.lastMillis() == Long.MIN_VALUE ? null : d.lastMillis()));
        }
        return out.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException naming the field that is missing or wrong */
    MachineState decode(byte[] value) {
        JsonObject o;
        try {
            o = new JsonObject(new String(value, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!FORMAT.equals(o.getValue("format")) || !Integer.valueOf(VERSION).equals(o.getValue("version"))) {
            throw new IllegalArgumentException("format/version: expected " + FORMAT + " " + VERSION + ", got "
                    + o.getValue("format") + " " + o.getValue("version"));
        }
        String machine = text(o, "machine", true);
        List<Alert> alerts = new ArrayList<>();
        Map<Long, List<HistoryEntry>> histories = new LinkedHashMap<>();
        JsonArray list = field(o, "alerts", JsonArray.class, true);
        for (int i = 0; i < list.size(); i++) {
            String where = "alerts[" + i + "].";
            if (!(list.getValue(i) instanceof JsonObject a)) {
                throw new IllegalArgumentException("alerts[" + i + "]: not an object");
            }
            try {
                JsonObject h = field(a, "handling", JsonObject.class, true);
                String verdict = text(h, "verdict", false);
                long id = field(a, "id", Number.class, true).longValue();
                alerts.add(new Alert(id, machine, Category.parse(text(a, "category", true)), text(a, "fault", true),
                        Severity.parse(text(a, "severity", true)), field(a, "active", Boolean.class, true),
                        field(a, "acknowledged", Boolean.class, true), instant(a, "firstSeen", true),
                        instant(a, "lastSeen", true), instant(a, "clearedAt", false), instant(a, "resolvedAt", false),
                        real(a, "score"), real(a, "warning"), real(a, "critical"), text(a, "evidence", true),
                        new Alert.Handling(text(h, "acknowledgedBy", false), instant(h, "acknowledgedAt", false),
                                text(h, "assignee", false), instant(h, "escalatedAt", false),
                                text(h, "resolvedBy", false), verdict == null ? null : Verdict.parse(verdict),
                                text(h, "note", false), text(h, "confirmedFault", false))));
                List<HistoryEntry> history = new ArrayList<>();
                JsonArray entries = field(a, "history", JsonArray.class, true);
                for (int j = 0; j < entries.size(); j++) {
                    if (!(entries.getValue(j) instanceof JsonObject e)) {
                        throw new IllegalArgumentException("history[" + j + "]: not an object");
                    }
                    try {
                        history.add(new HistoryEntry(instant(e, "at", true), text(e, "event", true),
                                text(e, "actor", false), text(e, "severity", false), text(e, "fault", false),
                                text(e, "detail", false)));
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException("history[" + j + "]." + bad.getMessage());
                    }
                }
                histories.put(id, history);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        MachineStore.Feedback feedback = null;
        JsonObject f = field(o, "feedback", JsonObject.class, false);
        if (f != null) {
            feedback = new MachineStore.Feedback(machine, field(f, "falseAlarms", Number.class, true).intValue(),
                    real(f, "factor"), instant(f, "updatedAt", true));
            if (!(feedback.thresholdFactor() >= 1)) {
                throw new IllegalArgumentException("feedback.factor: must be at least 1");
            }
        }
        List<OutboxMessage> undelivered = new ArrayList<>();
        JsonArray messages = field(o, "undelivered", JsonArray.class, true);
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.getValue(i) instanceof JsonObject m)) {
                throw new IllegalArgumentException("undelivered[" + i + "]: not an object");
            }
            try {
                undelivered.add(new OutboxMessage(text(m, "endpoint", true), machine, text(m, "eventId", true),
                        text(m, "type", true), text(m, "body", true)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("undelivered[" + i + "]." + e.getMessage());
            }
        }
        Calibration.AlarmState alarm = null;
        JsonObject a = field(o, "alarm", JsonObject.class, false);
        if (a != null) {
            try {
                alarm = new Calibration.AlarmState(real(a, "smoothed"), field(a, "above", Number.class, true).intValue(),
                        field(a, "below", Number.class, true).intValue(), field(a, "alarm", Boolean.class, true),
                        field(a, "rawAbove", Number.class, true).intValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("alarm." + e.getMessage());
            }
        }
        AvailabilityLog.SchedulerAck ack = null;
        JsonObject k = field(o, "schedulerAck", JsonObject.class, false);
        if (k != null) {
            try {
                ack = new AvailabilityLog.SchedulerAck(text(k, "by", true), instant(k, "at", true),
                        field(k, "excluded", Boolean.class, true));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("schedulerAck." + e.getMessage());
            }
        }
        ModelDrift drift = null;
        JsonObject d = field(o, "drift", JsonObject.class, false);
        if (d != null) {
            try {
                JsonArray names = field(d, "features", JsonArray.class, true);
                JsonArray values = field(d, "offsets", JsonArray.class, true);
                List<String> features = new ArrayList<>();
                double[] offsets = new double[values.size()];
                for (int i = 0; i < names.size(); i++) {
                    if (!(names.getValue(i) instanceof String n)) {
                        throw new IllegalArgumentException("features[" + i + "]: expected string");
                    }
                    features.add(n);
                }
                for (int i = 0; i < offsets.length; i++) {
                    Object v = values.getValue(i);
                    if (v != null && !(v instanceof Number)) {
                        throw new IllegalArgumentException("offsets[" + i + "]: expected number");
                    }
                    offsets[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
                }
                drift = new ModelDrift(text(d, "model", true), new DriftFollower.State(features, offsets,
                        field(d, "learned", Number.class, true).longValue(), field(d, "held", Number.class, true).longValue(),
                        d.getValue("lastMillis") == null ? Long.MIN_VALUE : field(d, "lastMillis", Number.class, true)
                                .longValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("drift." + e.getMessage());
            }
        }
        return new MachineState(machine, text(o, "writtenBy", true), instant(o, "at", true), alerts, histories,
                feedback, undelivered, alarm, ack, drift);
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Double number(double v) {
        return v == v && !Double.isInfinite(v) ? v : null;
    }

    private static <T> T field(JsonObject o, String key, Class<T> type, boolean required) {
        Object v = o.getValue(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException(key + ": missing");
            }
            return null;
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(key + ": expected " + type.getSimpleName().toLowerCase() + ", got "
                    + v.getClass().getSimpleName().toLowerCase());
        }
        return type.cast(v);
    }

    private static String text(JsonObject o, String key, boolean required) {
        return field(o, key, String.class, required);
    }

    private static Instant instant(JsonObject o, String key, boolean required) {
        Number n = field(o, key, Number.class, required);
        return n == null ? null : Instant.ofEpochMilli(n.longValue());
    }

    private static double real(JsonObject o, String key) {
        Number n = field(o, key, Number.class, false);
        return n == null ? Double.NaN : n.doubleValue();
    }
}
