package dev.vigil.runtime.config;

import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 * @param mqtt the plant's MQTT broker to subscribe to, or null for none
 * @param security tokens and TLS
 * @param alerts escalation and classification of alerts
 * @param history score history downsampling and retention
 * @param feedback how false alarms raise a machine's levels
 * @param recording what is recorded for retraining, or null when recording is off
 * @param maxAheadSeconds how far one channel may run ahead of the oldest open window (the assembler's memory)
 * @param scheduler webhook endpoints and availability policy
 * @param followDrift whether machines follow slow healthy drift ({@code scoring.followDrift}, docs/MODEL.md)
 * @param dataClock how far from the service clock data may be stamped ({@code scoring.clockSkewSeconds},
 *                  {@code scoring.catchUpHours})
 * @param retention how long delivered webhooks, availability events and resolved alerts are kept ({@code storage.*Days})
 */
public record RuntimeConfig(String host, int port, Path storePath, double toleranceSeconds, int maxInFlightPerMachine,
                            int maxSamplesPerFrame, int sensorAlertWindows, List<Machine> machines,
                            MqttSettings mqtt, Security security, AlertPolicy alerts, History history, Feedback feedback,
                            RecordingSettings recording, double maxAheadSeconds,
                            Scheduler scheduler, boolean followDrift, DataClockLimits dataClock, Retention retention) {

    /**
     * @param ahead data stamped further ahead of the service clock is refused
     * @param behind data stamped further behind it is refused (how far a gateway may catch up)
     */
    public record DataClockLimits(java.time.Duration ahead, java.time.Duration behind) {
    }

    /**
     * @param site names this installation in event sources ({@code urn:vigil:<site>})
     * @param endpoints where webhooks go
     * @param deadAfter a message undelivered this long is given up (dead)
     * @param recovery a cleared warning must stay clear this long before its machine is available again
     * @param atRiskHorizon a machine forecast to reach critical within this is at-risk
     */
    public record Scheduler(String site, List<WebhookEndpoint> endpoints,
                            java.time.Duration deadAfter, java.time.Duration recovery, java.time.Duration atRiskHorizon) {
    }

    /**
     * @param bucket one score-history point per machine per bucket
     * @param retention points older than this are deleted
     */
    public record History(java.time.Duration bucket, java.time.Duration retention) {
    }

    /**
     * How long the store keeps what only grows (pruned hourly by the service clock).
     *
     * @param outbox webhook messages once delivered or dead
     * @param availabilityEvents the availability event log (resumable streams)
     * @param resolvedAlerts alerts once resolved, with their history
     */
    public record Retention(java.time.Duration outbox, java.time.Duration availabilityEvents,
                            java.time.Duration resolvedAlerts) {
    }

    /**
     * @param step each false alarm multiplies the machine's levels by this
     * @param max never more than this times the calibrated levels
     */
    public record Feedback(double step, double max) {
    }

    /**
     * @param escalateAfter a critical alert unacknowledged this long is escalated
     * @param escalationCheck how often that is checked
     * @param persistentAfter an alert whose condition lasted this long is persistent, shorter ones are one-offs
     */
    public record AlertPolicy(java.time.Duration escalateAfter, java.time.Duration escalationCheck,
                              java.time.Duration persistentAfter, java.time.Duration staleAfter) {
    }

    /**
     * @param tokens who may call the API
     * @param tls the HTTP listener's certificate, or null for plain HTTP
     */
    /** @param connections how many clients the HTTP port serves at once */
    public record Security(Tokens tokens, Tls tls, Connections connections) {
    }

    /**
     * @param max open connections (HTTP, WebSocket, event streams) beyond which a new one is closed at once
     * @param eventStreams open Server-Sent Event streams (alerts and availability together) beyond which one is 503
     */
    public record Connections(int max, int eventStreams) {
    }

    /** A PKCS#12 key store ({@code keyStore} + {@code password}) or a PEM pair ({@code cert} + {@code key}). */
    public record Tls(Path keyStore, String password, Path cert, Path key) {
    }

    /**
     * One machine: who it belongs to and which model scores it.
     *
     * @param isoClass ISO 10816 machine group for zone reporting, overriding the bundle's, or null
     */
    public record Machine(String id, String kind, String tenant, Path model,
                          dev.vigil.model.explain.IsoZone.MachineClass isoClass) {
    }

    public RuntimeConfig {
        machines = List.copyOf(machines);
    }

    /** Builds and validates; every problem is reported with its key, all at once. */
    public static RuntimeConfig from(JsonObject json, Path baseDir) {
        List<String> problems = new ArrayList<>();
        RuntimeConfig config = parse(json, baseDir, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration:\n  " + String.join("\n  ", problems));
        }
        return config;
    }

    /** Every structural problem (a key's type, range or reference), each with its key; empty when there is none. */
    static List<String> problems(JsonObject json, Path baseDir) {
        List<String> problems = new ArrayList<>();
        parse(json, baseDir, problems);
        return problems;
    }

    private static RuntimeConfig parse(JsonObject file, Path baseDir, List<String> problems) {
        // every key read below is valid; any other is named (a typo would otherwise leave its default in force)
        ReadKeys keys = new ReadKeys();
        JsonObject json = keys.track(file);
        JsonObject http = object(json, "http", problems);
        JsonObject storage = object(json, "storage", problems);
        JsonObject scoring = object(json, "scoring", problems);
        JsonObject mqtt = object(json, "mqtt", problems);
        String host = string(http, "http.host", "host", "0.0.0.0", problems);
        int port = integer(http, "http.port", "port", 8080, 0, 65535, problems);
        Connections connections = new Connections(
                integer(http, "http.maxConnections", "maxConnections", 512, 1, 1_000_000, problems),
                integer(http, "http.maxEventStreams", "maxEventStreams", 64, 1, 100_000, problems));
        String store = string(storage, "storage.path", "path", "data/vigil.db", problems);
        double tolerance = number(scoring, "scoring.toleranceSeconds", "toleranceSeconds", 0.2, 0, 60, problems);
        int inFlight = integer(scoring, "scoring.maxInFlightPerMachine", "maxInFlightPerMachine", 16, 1, 10_000, problems);
        int maxSamples = integer(scoring, "scoring.maxSamplesPerFrame", "maxSamplesPerFrame", 1 << 20, 1, 1 << 26, problems);
        double maxAhead = number(scoring, "scoring.maxAheadSeconds", "maxAheadSeconds", 5, 1, 300, problems);
        DataClockLimits dataClock = new DataClockLimits(
                java.time.Duration.ofMillis(Math.round(1000 * number(scoring, "scoring.clockSkewSeconds",
                        "clockSkewSeconds", 300, 1, 86_400, problems))),
                java.time.Duration.ofMillis(Math.round(3_600_000 * number(scoring, "scoring.catchUpHours",
                        "catchUpHours", 168, 0.01, 87_600, problems))));
        int sensorWindows = integer(scoring, "scoring.sensorAlertWindows", "sensorAlertWindows", 3, 1, 1000, problems);
        Object follow = scoring.getValue("followDrift");
        if (follow instanceof String text && (text.equals("true") || text.equals("false"))) {
            follow = Boolean.valueOf(text); // from an environment override
        }
        if (follow != null && !(follow instanceof Boolean)) {
            problems.add("scoring.followDrift: expected true or false, found " + follow);
        }
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
                dev.vigil.model.explain.IsoZone.MachineClass iso = null;
                if (m.getValue("isoClass") != null) {
                    try {
                        iso = dev.vigil.model.explain.IsoZone.MachineClass.parse(String.valueOf(m.getValue("isoClass")));
                    } catch (IllegalArgumentException e) {
                        problems.add(key + ".isoClass: " + e.getMessage());
                    }
                }
                if (id != null && model != null) {
                    machines.add(new Machine(id, kind, tenant, resolve(baseDir, model, key + ".model", problems), iso));
                }
            }
        }
        Tokens tokens = tokens(object(json, "auth", problems), ids(machines), problems);
        Tls tls = tls(object(http, "tls", problems), baseDir, problems);
        JsonObject alerts = object(json, "alerts", problems);
        AlertPolicy policy = new AlertPolicy(
                minutes(number(alerts, "alerts.escalateAfterMinutes", "escalateAfterMinutes", 30, 0.1, 10_080, problems)),
                java.time.Duration.ofMillis(Math.round(1000 * number(alerts, "alerts.escalationCheckSeconds",
                        "escalationCheckSeconds", 30, 0.1, 3600, problems))),
                minutes(number(alerts, "alerts.persistentAfterMinutes", "persistentAfterMinutes", 10, 0, 10_080, problems)),
                java.time.Duration.ofMillis(Math.round(1000 * number(alerts, "alerts.staleAfterSeconds",
                        "staleAfterSeconds", 30, 1, 86_400, problems))));
        History history = new History(
                java.time.Duration.ofSeconds(integer(storage, "storage.scoreBucketSeconds", "scoreBucketSeconds", 10, 1,
                        3600, problems)),
                java.time.Duration.ofDays(integer(storage, "storage.scoreHistoryDays", "scoreHistoryDays", 90, 1, 3650,
                        problems)));
        Retention retention = new Retention(
                days(number(storage, "storage.outboxDays", "outboxDays", 30, 0.01, 36_500, problems)),
                days(number(storage, "storage.availabilityEventsDays", "availabilityEventsDays", 30, 0.01, 36_500,
                        problems)),
                days(number(storage, "storage.resolvedAlertDays", "resolvedAlertDays", 365, 0.01, 36_500, problems)));
        JsonObject fb = object(json, "feedback", problems);
        Feedback feedback = new Feedback(number(fb, "feedback.step", "step", 1.1, 1, 2, problems),
                number(fb, "feedback.max", "max", 1.5, 1, 10, problems));
        MqttSettings mqttSettings = mqtt(mqtt, baseDir, problems);
        Scheduler scheduler = scheduler(object(json, "scheduler", problems), problems);
        JsonObject rec = object(json, "recording", problems);
        boolean recordingOn = !Boolean.FALSE.equals(rec.getValue("enabled"));
        RecordingSettings recording = new RecordingSettings(
                resolve(baseDir, string(rec, "recording.path", "path", "data/recordings", problems), "recording.path", problems),
                java.time.Duration.ofSeconds(integer(rec, "recording.beforeSeconds", "beforeSeconds", 60, 0, 3600, problems)),
                java.time.Duration.ofSeconds(integer(rec, "recording.afterSeconds", "afterSeconds", 60, 0, 3600, problems)),
                minutes(number(rec, "recording.healthyEveryMinutes", "healthyEveryMinutes", 60, 0, 100_000, problems)),
                java.time.Duration.ofSeconds(integer(rec, "recording.healthySeconds", "healthySeconds", 20, 1, 3600, problems)),
                Math.round(number(rec, "recording.quotaMb", "quotaMb", 2048, 1, 10_000_000, problems) * (1 << 20)));
        Path storePath = resolve(baseDir, store, "storage.path", problems);
        problems.addAll(keys.unknown(file));
        if (!problems.isEmpty()) {
            return null;
        }
        return new RuntimeConfig(host, port, storePath, tolerance, inFlight, maxSamples,
                sensorWindows, machines, mqttSettings, new Security(tokens, tls, connections), policy, history, feedback,
                recordingOn ? recording : null, maxAhead, scheduler, Boolean.TRUE.equals(follow), dataClock, retention);
    }

    private static MqttSettings mqtt(JsonObject mqtt, Path baseDir, List<String> problems) {
        String host = mqtt.getValue("host") == null ? null : string(mqtt, "mqtt.host", "host", null, problems);
        JsonObject tlsJson = object(mqtt, "tls", problems);
        boolean tlsOn = mqtt.containsKey("tls");
        int port = integer(mqtt, "mqtt.port", "port", tlsOn ? 8883 : 1883, 1, 65535, problems);
        String user = mqtt.getValue("username") == null ? null : string(mqtt, "mqtt.username", "username", null, problems);
        String password = mqtt.getValue("password") == null ? null : string(mqtt, "mqtt.password", "password", null, problems);
        String topic = string(mqtt, "mqtt.topic", "topic", MqttTopics.DEFAULT, problems);
        try {
            new MqttTopics(topic);
        } catch (IllegalArgumentException e) {
            problems.add("mqtt.topic: " + e.getMessage());
        }
        // the broker keeps the persistent session under the client id: stable per installation, distinct per instance
        String clientId = string(mqtt, "mqtt.clientId", "clientId", "vigil-" + hostName(), problems);
        if (clientId != null && (clientId.isEmpty() || clientId.length() > 64)) {
            problems.add("mqtt.clientId: 1 to 64 characters, found " + clientId.length());
        }
        Object persistent = mqtt.getValue("persistentSession", true);
        if (!(persistent instanceof Boolean) && !"true".equals(persistent) && !"false".equals(persistent)) {
            problems.add("mqtt.persistentSession: expected true or false, found " + persistent);
        }
        MqttSettings.Tls tls = null;
        if (tlsOn) {
            Path ca = file(tlsJson, "mqtt.tls.ca", "ca", baseDir, problems);
            Path cert = file(tlsJson, "mqtt.tls.cert", "cert", baseDir, problems);
            Path key = file(tlsJson, "mqtt.tls.key", "key", baseDir, problems);
            Path keyStore = file(tlsJson, "mqtt.tls.keyStore", "keyStore", baseDir, problems);
            String keyStorePassword = tlsJson.getValue("password") == null ? null
                    : string(tlsJson, "mqtt.tls.password", "password", null, problems);
            if ((cert == null) != (key == null)) {
                problems.add("mqtt.tls: a client certificate needs both cert and key");
            }
            if (keyStore != null && cert != null) {
                problems.add("mqtt.tls: a client certificate as keyStore or as cert and key, not both");
            }
            Object verify = tlsJson.getValue("verifyHost", true);
            if (!(verify instanceof Boolean)) {
                problems.add("mqtt.tls.verifyHost: expected true or false, found " + verify);
            }
            tls = new MqttSettings.Tls(ca, cert, key, keyStore, keyStorePassword,
                    !Boolean.FALSE.equals(verify));
        }
        return host == null ? null : new MqttSettings(host, port, user, password, topic, clientId,
                !Boolean.FALSE.equals(persistent) && !"false".equals(persistent), tls);
    }

    /** {@code name} relative to the configuration's folder; a name that is no path (a NUL byte, say) is a problem. */
    private static Path resolve(Path baseDir, String name, String key, List<String> problems) {
        try {
            return baseDir.resolve(name).normalize();
        } catch (InvalidPathException e) {
            problems.add(key + ": not a valid path (" + e.getReason() + ")");
            return baseDir;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "edge";
        }
    }

    /** An optional file named by {@code field}, relative to the configuration's folder; it must exist. */
    private static Path file(JsonObject o, String key, String field, Path baseDir, List<String> problems) {
        if (o.getValue(field) == null) {
            return null;
        }
        String name = string(o, key, field, null, problems);
        if (name == null) {
            return null;
        }
        Path p = resolve(baseDir, name, key, problems);
        if (!Files.isReadable(p)) {
            problems.add(key + ": cannot read " + p);
        }
        return p;
    }

    private static Scheduler scheduler(JsonObject s, List<String> problems) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        Object raw = s.getValue("endpoints");
        if (raw instanceof JsonArray list) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String key = "scheduler.endpoints[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject e)) {
                    problems.add(key + ": expected a mapping");
                    continue;
                }
                String name = string(e, key + ".name", "name", null, problems);
                String url = string(e, key + ".url", "url", null, problems);
                String secret = string(e, key + ".secret", "secret", null, problems);
                if (name != null && !names.add(name)) {
                    problems.add(key + ".name: duplicate endpoint name '" + name + "'");
                }
                java.net.URI uri = null;
                if (url != null) {
                    try {
                        uri = java.net.URI.create(url);
                        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                            problems.add(key + ".url: '" + url + "' must be an http(s) URL with a host");
                            uri = null;
                        }
                    } catch (IllegalArgumentException ex) {
                        problems.add(key + ".url: '" + url + "' is not a URL");
                    }
                }
                if (secret != null && secret.length() < 16) {
                    problems.add(key + ".secret: at least 16 characters");
                }
                Set<String> tenants = new HashSet<>();
                if (e.getValue("tenants") instanceof JsonArray ts) {
                    ts.forEach(x -> tenants.add(String.valueOf(x)));
                }
                if (name != null && uri != null && secret != null) {
                    endpoints.add(new WebhookEndpoint(name, uri, secret, tenants));
                }
            }
        } else if (raw != null) {
            problems.add("scheduler.endpoints: expected a list of {name, url, secret[, tenants]}");
        }
        return new Scheduler(string(s, "scheduler.site", "site", "edge", problems), endpoints,
                java.time.Duration.ofMillis(Math.round(3_600_000 * number(s, "scheduler.deadAfterHours", "deadAfterHours", 24,
                        0.0001, 24 * 30, problems))),
                minutes(number(s, "scheduler.recoveryMinutes", "recoveryMinutes", 10, 0, 10_080, problems)),
                java.time.Duration.ofMinutes(Math.round(60 * number(s, "scheduler.atRiskHours", "atRiskHours", 8, 0,
                        24 * 365, problems))));
    }

    private static java.time.Duration minutes(double m) {
        return java.time.Duration.ofMillis(Math.round(m * 60_000));
    }

    private static java.time.Duration days(double d) {
        return java.time.Duration.ofMillis(Math.round(d * 86_400_000));
    }

    private static Set<String> ids(List<Machine> machines) {
        Set<String> ids = new HashSet<>();
        machines.forEach(m -> ids.add(m.id()));
        return ids;
    }

    /**
     * {@code auth.tokens}: a list of {name, role, sha256, machines}. Authentication can only be switched off
     * explicitly ({@code auth.disabled: true}), never by leaving the section out.
     */
    private static Tokens tokens(JsonObject auth, Set<String> machineIds, List<String> problems) {
        if (Boolean.TRUE.equals(auth.getValue("disabled"))) {
            return Tokens.disabled();
        }
        Object raw = auth.getValue("tokens");
        if (!(raw instanceof JsonArray list) || list.isEmpty()) {
            problems.add("auth.tokens: required, a list of {name, role, sha256[, machines]} (`vigil token` makes one);"
                    + " or auth.disabled: true on a closed test network");
            return Tokens.disabled();
        }
        java.util.Map<String, Principal> byHash = new java.util.HashMap<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "auth.tokens[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject t)) {
                problems.add(key + ": expected a mapping");
                continue;
            }
            String name = string(t, key + ".name", "name", null, problems);
            String roleText = string(t, key + ".role", "role", null, problems);
            String hash = string(t, key + ".sha256", "sha256", null, problems);
            Role role = roleText == null ? null : Role.parse(roleText);
            if (roleText != null && role == null) {
                problems.add(key + ".role: '" + roleText + "' is not one of device, engineer, scheduler, monitor, admin");
            }
            if (name != null && !names.add(name)) {
                problems.add(key + ".name: duplicate token name '" + name + "'");
            }
            if (hash != null && !hash.matches("[0-9a-f]{64}")) {
                problems.add(key + ".sha256: expected 64 lower-case hex digits (the SHA-256 of the token, not the token)");
                hash = null;
            }
            Set<String> own = new HashSet<>();
            Object ms = t.getValue("machines");
            if (ms instanceof JsonArray arr) {
                for (Object m : arr) {
                    if (!machineIds.contains(String.valueOf(m))) {
                        problems.add(key + ".machines: unknown machine '" + m + "'");
                    }
                    own.add(String.valueOf(m));
                }
            } else if (ms != null) {
                problems.add(key + ".machines: expected a list of machine ids");
            }
            if (role == Role.DEVICE && own.isEmpty()) {
                problems.add(key + ".machines: a device token must list the machines it sends data for");
            }
            Set<String> scope = new HashSet<>();
            if (t.getValue("tenants") instanceof JsonArray ts) {
                ts.forEach(x -> scope.add(String.valueOf(x)));
            } else if (t.getValue("tenants") != null) {
                problems.add(key + ".tenants: expected a list of tenants");
            }
            if (hash != null && name != null && role != null && byHash.put(hash, new Principal(name, role,
                    role == Role.DEVICE ? own : Set.of(), scope)) != null) {
                problems.add(key + ".sha256: the same token is configured twice");
            }
        }
        return Tokens.of(byHash);
    }

    private static Tls tls(JsonObject tls, Path baseDir, List<String> problems) {
        if (tls.isEmpty()) {
            return null;
        }
        String keyStore = tls.getValue("keyStore") == null ? null : string(tls, "http.tls.keyStore", "keyStore", null, problems);
        String cert = tls.getValue("cert") == null ? null : string(tls, "http.tls.cert", "cert", null, problems);
        String key = tls.getValue("key") == null ? null : string(tls, "http.tls.key", "key", null, problems);
        String password = tls.getValue("password") == null ? null : string(tls, "http.tls.password", "password", null, problems);
        if ((keyStore == null) == (cert == null) || cert != null && key == null) {
            problems.add("http.tls: give either keyStore (PKCS#12) and password, or cert and key (PEM)");
            return null;
        }
        Path ks = keyStore == null ? null : resolve(baseDir, keyStore, "http.tls.keyStore", problems);
        Path c = cert == null ? null : resolve(baseDir, cert, "http.tls.cert", problems);
        Path k = key == null ? null : resolve(baseDir, key, "http.tls.key", problems);
        for (Path f : new Path[]{ks, c, k}) {
            if (f != null && !Files.isRegularFile(f)) {
                problems.add("http.tls: file not found: " + f);
            }
        }
        return new Tls(ks, password, c, k);
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
            problems.add(key + ": expected text, found " + v + (v instanceof Number ? " (YAML read it as a number: quote it)" : ""));
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
