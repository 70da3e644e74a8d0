package dev.vigil.runtime.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The validated configuration. Paths in the file are relative to the file's directory.
 *
 * @param host HTTP listen address
 * @param port HTTP port (0 = any free port)
 * @param storePath SQLite file for alerts
 * @param toleranceSeconds how long a window waits for out-of-order frames
 * @param maxInFlightPerMachine frames per machine waiting to be scored before 429
 * @param maxSamplesPerFrame largest frame accepted
 * @param sensorAlertWindows consecutive windows with a sensor problem before a sensor alert
 * @param machines the machines served
 * @param mqttHost the plant's MQTT broker to subscribe to ({@code vigil/+/+}), or null for none
 * @param mqttPort its port
 */
public record RuntimeConfig(String host, int port, Path storePath, double toleranceSeconds, int maxInFlightPerMachine,
                            int maxSamplesPerFrame, int sensorAlertWindows, List<Machine> machines, String mqttHost,
                            int mqttPort) {

    /** One machine: who it belongs to and which model scores it. */
    public record Machine(String id, String kind, String tenant, Path model) {
    }

    public RuntimeConfig {
        machines = List.copyOf(machines);
    }

    /** Builds and validates; every problem is reported with its key, all at once. */
    public static RuntimeConfig from(JsonObject json, Path baseDir) {
        List<String> problems = new ArrayList<>();
        JsonObject http = object(json, "http", problems);
        JsonObject storage = object(json, "storage", problems);
        JsonObject scoring = object(json, "scoring", problems);
        JsonObject mqtt = object(json, "mqtt", problems);
        String mqttHost = mqtt.getValue("host") == null ? null : string(mqtt, "mqtt.host", "host", null, problems);
        int mqttPort = integer(mqtt, "mqtt.port", "port", 1883, 1, 65535, problems);
        String host = string(http, "http.host", "host", "0.0.0.0", problems);
        int port = integer(http, "http.port", "port", 8080, 0, 65535, problems);
        String store = string(storage, "storage.path", "path", "data/vigil.db", problems);
        double tolerance = number(scoring, "scoring.toleranceSeconds", "toleranceSeconds", 0.2, 0, 60, problems);
        int inFlight = integer(scoring, "scoring.maxInFlightPerMachine", "maxInFlightPerMachine", 16, 1, 10_000, problems);
        int maxSamples = integer(scoring, "scoring.maxSamplesPerFrame", "maxSamplesPerFrame", 1 << 20, 1, 1 << 26, problems);
        int sensorWindows = integer(scoring, "scoring.sensorAlertWindows", "sensorAlertWindows", 3, 1, 1000, problems);
        List<Machine> machines = new ArrayList<>();
        Object raw = json.getValue("machines");
        if (!(raw instanceof JsonArray list) || list.isEmpty()) {
            problems.add("machines: expected a non-empty list of machines (id, kind, tenant, model)");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String key = "machines[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject m)) {
                    problems.add(key + ": expected a mapping");
                    continue;
                }
                String id = string(m, key + ".id", "id", null, problems);
                String kind = string(m, key + ".kind", "kind", "cnc", problems);
                String tenant = string(m, key + ".tenant", "tenant", "default", problems);
                String model = string(m, key + ".model", "model", null, problems);
                if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                    problems.add(key + ".id: '" + id + "' must be 1-128 letters, digits, '.', '_' or '-'");
                } else if (id != null && !ids.add(id)) {
                    problems.add(key + ".id: duplicate machine id '" + id + "'");
                }
                if (id != null && model != null) {
                    machines.add(new Machine(id, kind, tenant, baseDir.resolve(model).normalize()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return new RuntimeConfig(host, port, baseDir.resolve(store).normalize(), tolerance, inFlight, maxSamples,
                sensorWindows, machines, mqttHost, mqttPort);
    }

    private static JsonObject object(JsonObject json, String key, List<String> problems) {
        Object v = json.getValue(key);
        if (v == null) {
            return new JsonObject();
        }
        if (v instanceof JsonObject o) {
            return o;
        }
        problems.add(key + ": expected a mapping, found " + v);
        return new JsonObject();
    }

    private static String string(JsonObject o, String key, String field, String fallback, List<String> problems) {
        Object v = o.getValue(field);
        if (v == null) {
            if (fallback == null) {
                problems.add(key + ": required");
            }
            return fallback;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            problems.add(key + ": expected text, found " + v);
            return fallback;
        }
        return s;
    }

    private static double number(JsonObject o, String key, String field, double fallback, double min, double max,
                                 List<String> problems) {
        Object v = o.getValue(field);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            problems.add(key + ": expected a number, found '" + v + "'");
            return fallback;
        }
        if (!(d >= min && d <= max)) {
            problems.add(key + ": " + d + " outside " + min + ".." + max);
        }
        return d;
    }

    private static int integer(JsonObject o, String key, String field, int fallback, int min, int max,
                               List<String> problems) {
        double d = number(o, key, field, fallback, min, max, problems);
        if (d != Math.rint(d)) {
            problems.add(key + ": expected a whole number, found " + d);
        }
        return (int) d;
    }
}
