package dev.vigil.runtime.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Alerts as JSON for the API and the event stream (docs/openapi.yaml, schema Alert). The tenant comes from the
 * machine's configuration. An alert is {@code persistent} once its condition has lasted {@code persistentAfter}
 * (from first to last seen), otherwise a one-off so far.
 */
public final class AlertJson {
    private final Map<String, String> tenants;
    private final Duration persistentAfter;

    public AlertJson(Map<String, String> tenantByMachine, Duration persistentAfter) {
        this.tenants = Map.copyOf(tenantByMachine);
        this.persistentAfter = persistentAfter;
    }

    /**
     * What a scheduler may see of an alert, on the API and in webhooks alike: no evidence, features or scores
     * (docs/SCHEDULER.md).
     */
    public JsonObject summary(Alert a) {
        JsonObject o = new JsonObject().put("id", a.id()).put("machine", a.machineId())
                .put("tenant", tenants.getOrDefault(a.machineId(), "default")).put("category", a.category().id())
                .put("fault", a.fault()).put("severity", a.severity().id()).put("active", a.active())
                .put("acknowledged", a.acknowledged()).put("open", a.open())
                .put("firstSeen", a.firstSeen().toString()).put("lastSeen", a.lastSeen().toString());
        put(o, "clearedAt", a.clearedAt());
        put(o, "resolvedAt", a.resolvedAt());
        put(o, "verdict", a.handling().verdict() == null ? null : a.handling().verdict().id());
        return o;
    }

    /** The whole alert, for engineers: the summary with its levels, score, handling and evidence. */
    public JsonObject alert(Alert a) {
        JsonObject o = summary(a)
                .put("persistent", !Duration.between(a.firstSeen(), a.lastSeen()).minus(persistentAfter).isNegative())
                .put("warning", a.warning()).put("critical", a.critical());
        if (a.score() == a.score()) {
            o.put("score", a.score());
        }
        Alert.Handling h = a.handling();
        put(o, "acknowledgedBy", h.acknowledgedBy());
        put(o, "acknowledgedAt", h.acknowledgedAt());
        put(o, "assignee", h.assignee());
        put(o, "escalatedAt", h.escalatedAt());
        put(o, "resolvedBy", h.resolvedBy());
        put(o, "confirmedFault", h.confirmedFault());
        put(o, "note", h.note());
        JsonObject evidence = new JsonObject(a.evidence());
        Object model = evidence.remove("model");
        if (model != null) {
            o.put("model", model);
        }
        Object zone = evidence.remove("isoZone");
        if (zone != null) {
            o.put("isoZone", zone).put("velocityRmsMmS", evidence.remove("velocityRmsMmS"));
        }
        return o.put("evidence", evidence);
    }

    public JsonObject withHistory(Alert a, List<HistoryEntry> history) {
        JsonArray out = new JsonArray();
        for (HistoryEntry e : history) {
            JsonObject h = new JsonObject().put("at", e.at().toString()).put("event", e.event()).put("actor", e.actor());
            put(h, "severity", e.severity());
            put(h, "fault", e.fault());
            put(h, "detail", e.detail());
            out.add(h);
        }
        return alert(a).put("history", out);
    }

    /** An event for live subscribers: {@code {"type", "actor", "alert"}}. */
    public JsonObject event(AlertEvent e) {
        return new JsonObject().put("type", e.type().id()).put("actor", e.actor()).put("alert", alert(e.alert()));
    }

    private static void put(JsonObject o, String key, Object value) {
        if (value instanceof Instant t) {
            o.put(key, t.toString());
        } else if (value != null) {
            o.put(key, value);
        }
    }
}
