package dev.vigil.runtime.score;

import dev.vigil.model.score.Assessment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A window's assessment as JSON (docs/openapi.yaml, schema Assessment). */
public final class AssessmentJson {
    private AssessmentJson() {
    }

    public static JsonObject of(Assessment a) {
        JsonObject o = new JsonObject().put("index", a.index())
                .put("at", java.time.Instant.ofEpochMilli(a.epochMillis()).toString())
                .put("level", a.level().id()).put("alarm", a.alarm())
                .put("warning", a.warning()).put("critical", a.critical());
        if (a.score() == a.score()) {
            o.put("score", a.score()).put("smoothed", a.smoothed());
        }
        if (a.isoZone() != null) {
            o.put("isoZone", a.isoZone()).put("velocityRmsMmS", a.velocityRms());
        }
        if (a.sensorIssue() != null) {
            o.put("sensorIssue", a.sensorIssue());
        }
        if (!a.notes().isEmpty()) {
            o.put("notes", new JsonArray(new java.util.ArrayList<Object>(a.notes())));
        }
        if (a.hypothesis() != null) {
            o.put("hypothesis", new JsonObject().put("fault", a.hypothesis().id())
                    .put("confidence", a.hypothesis().confidence())
                    .put("evidence", new JsonObject().put("feature", a.hypothesis().evidence().feature())
                            .put("value", a.hypothesis().evidence().value())
                            .put("expected", a.hypothesis().evidence().expected())));
        }
        JsonArray top = new JsonArray();
        a.top().forEach(c -> top.add(new JsonObject().put("feature", c.feature()).put("share", c.share())
                .put("value", c.value()).put("expected", c.expected())));
        return o.put("top", top);
    }
}
