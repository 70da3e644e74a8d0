package dev.vigil.runtime.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One mapping of the configuration and its path ({@code http}, {@code machines[2]}), so that each key is written
 * once, where it is read: its full path in a message ({@code http.port: 70000.0 outside 0.0..65535.0}) is derived.
 * Problems are collected, never thrown: every one of them is reported at once.
 */
final class Section {
    private final JsonObject json;
    private final String path;
    private final List<String> problems;

    Section(JsonObject json, String path, List<String> problems) {
        this.json = json;
        this.path = path;
        this.problems = problems;
    }

    /** The full path of one of this mapping's keys. */
    String key(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    Object value(String field) {
        return json.getValue(field);
    }

    Object value(String field, Object fallback) {
        return json.getValue(field, fallback);
    }

    boolean has(String field) {
        return json.containsKey(field);
    }

    boolean isEmpty() {
        return json.isEmpty();
    }

    /** Records a problem with one key. */
    void problem(String field, String message) {
        problems.add(key(field) + ": " + message);
    }

    /** Records a problem with this mapping as a whole. */
    void problem(String message) {
        problems.add(path + ": " + message);
    }

    /** The mapping under {@code field}; an empty one when it is absent (or not a mapping, which is a problem). */
    Section section(String field) {
        Object v = json.getValue(field);
        if (v instanceof JsonObject o) {
            return new Section(o, key(field), problems);
        }
        if (v != null) {
            problem(field, "expected a mapping, found " + v);
        }
        return new Section(new JsonObject(), key(field), problems);
    }

    /** Text; {@code fallback} when absent, and a problem when absent without one. */
    String string(String field, String fallback) {
        Object v = json.getValue(field);
        if (v == null) {
            if (fallback == null) {
                problem(field, "required");
            }
            return fallback;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            problem(field, "expected text, found " + v + (v instanceof Number ? " (YAML read it as a number: quote it)" : ""));
            return fallback;
        }
        return s;
    }

    /** Text when given, else null (an optional key without a default). */
    String optional(String field) {
        return json.getValue(field) == null ? null : string(field, null);
    }

    double number(String field, double fallback, double min, double max) {
        Object v = json.getValue(field);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            problem(field, "expected a number, found '" + v + "'");
            return fallback;
        }
        if (!(d >= min && d <= max)) {
            problem(field, d + " outside " + min + ".." + max);
        }
        return d;
    }

    int integer(String field, int fallback, int min, int max) {
        double d = number(field, fallback, min, max);
        if (d != Math.rint(d)) {
            problem(field, "expected a whole number, found " + d);
        }
        return (int) d;
    }
}
