package dev.vigil.runtime.ingest;

import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Already-aggregated readings as JSON (docs/PROTOCOL.md): {@code {"rows": [{"time": ISO-8601, "values":
 * {"rms_x": 0.12, ...}, "context": {"speed_rpm": 6000, "tool": "T3"}}]}}. Problems are named by path.
 */
final class JsonReadings {
    static final int MAX_ROWS = 10_000;

    List<MachineStream.Reading> decode(String body) throws FrameException {
        JsonObject root;
        try {
            root = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new FrameException("body is not a JSON object: " + e.getMessage());
        }
        if (!(root.getValue("rows") instanceof JsonArray rows) || rows.isEmpty()) {
            throw new FrameException("rows: expected a non-empty list of readings");
        }
        if (rows.size() > MAX_ROWS) {
            throw new FrameException("rows: " + rows.size() + " rows, more than " + MAX_ROWS + " in one request");
        }
        List<MachineStream.Reading> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String at = "rows[" + i + "]";
            if (!(rows.getValue(i) instanceof JsonObject r)) {
                throw new FrameException(at + ": expected an object");
            }
            Instant time;
            try {
                time = Instant.parse(String.valueOf(r.getValue("time")));
            } catch (DateTimeParseException e) {
                throw new FrameException(at + ".time: expected an ISO-8601 instant like 2026-11-28T10:00:00Z, found "
                        + r.getValue("time"));
            }
            if (!(r.getValue("values") instanceof JsonObject v) || v.isEmpty()) {
                throw new FrameException(at + ".values: expected an object of column: number");
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (String k : v.fieldNames()) {
                Object x = v.getValue(k);
                if (x instanceof Number n) {
                    if (!Double.isFinite(n.doubleValue())) {
                        throw new FrameException(at + ".values." + k + ": " + x + " is not a finite number");
                    }
                    values.put(k, n.doubleValue());
                } else if (x == null) {
                    values.put(k, Double.NaN);
                } else {
                    throw new FrameException(at + ".values." + k + ": expected a number or null, found " + x);
                }
            }
            Map<String, Object> context = new LinkedHashMap<>();
            if (r.getValue("context") instanceof JsonObject c) {
                c.forEach(e -> context.put(e.getKey(), e.getValue()));
            } else if (r.getValue("context") != null) {
                throw new FrameException(at + ".context: expected an object");
            }
            out.add(new MachineStream.Reading(time, values, context));
        }
        return out;
    }
}
