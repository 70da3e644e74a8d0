package dev.vigil.runtime.config;

import dev.vigil.model.explain.IsoZone;
import dev.vigil.runtime.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param warmUp how long the service scores synthetic windows before it opens its ports, so that the scoring path
 *               is compiled when the fleet connects ({@code scoring.warmUpSeconds}; zero: not at all)
 * @param kafka how this instance joins a cluster through Kafka, or null for a single box (docs/SCALE-OUT.md)
 */
public record RuntimeConfig(String host, int port, Path storePath, double toleranceSeconds, int maxInFlightPerMachine,
                            int maxSamplesPerFrame, int sensorAlertWindows, List<Machine> machines,
                            MqttSettings mqtt, Security security, AlertPolicy alerts, History history, Feedback feedback,
                            RecordingSettings recording, double maxAheadSeconds,
                            Scheduler scheduler, boolean followDrift, DataClockLimits dataClock, Retention retention,
                            Duration warmUp, KafkaSettings kafka) {

    /**
     * @param ahead data stamped further ahead of the service clock is refused
     * @param behind data stamped further behind it is refused (how far a gateway may catch up)
     */
    public record DataClockLimits(Duration ahead, Duration behind) {
    }

    /**
     * @param site names this installation in event sources ({@code urn:vigil:<site>})
     * @param endpoints where webhooks go
     * @param deadAfter a message undelivered this long is given up (dead)
     * @param recovery a cleared warning must stay clear this long before its machine is available again
     * @param atRiskHorizon a machine forecast to reach critical within this is at-risk
     */
    public record Scheduler(String site, List<WebhookEndpoint> endpoints,
                            Duration deadAfter, Duration recovery, Duration atRiskHorizon) {
    }

    /**
     * @param bucket one score-history point per machine per bucket
     * @param retention points older than this are deleted
     */
    public record History(Duration bucket, Duration retention) {
    }

    /**
     * How long the store keeps what only grows (pruned hourly by the service clock).
     *
     * @param outbox webhook messages once delivered or dead
     * @param availabilityEvents the availability event log (resumable streams)
     * @param resolvedAlerts alerts once resolved, with their history
     */
    public record Retention(Duration outbox, Duration availabilityEvents,
                            Duration resolvedAlerts) {
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
    public record AlertPolicy(Duration escalateAfter, Duration escalationCheck,
                              Duration persistentAfter, Duration staleAfter) {
    }

    /**
     * @param authDisabled whether authentication is off ({@code auth.disabled: true}, a closed test network only)
     * @param tokens who may call the API (empty when authentication is off)
     * @param tls the HTTP listener's certificate, or null for plain HTTP
     * @param connections how many clients the HTTP port serves at once
     */
    public record Security(boolean authDisabled, List<TokenSettings> tokens, Tls tls, Connections connections) {
        public Security {
            tokens = List.copyOf(tokens);
        }
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
        Section root = new Section(json, "", problems);
        Section http = root.section("http");
        Section storage = root.section("storage");
        Section scoring = root.section("scoring");
        Section mqtt = root.section("mqtt");
        String host = http.string("host", "0.0.0.0");
        int port = http.integer("port", 8080, 0, 65535);
        Connections connections = new Connections(
                http.integer("maxConnections", 512, 1, 1_000_000),
                http.integer("maxEventStreams", 64, 1, 100_000));
        String store = storage.string("path", "data/vigil.db");
        double tolerance = scoring.number("toleranceSeconds", 0.2, 0, 60);
        int inFlight = scoring.integer("maxInFlightPerMachine", 16, 1, 10_000);
        int maxSamples = scoring.integer("maxSamplesPerFrame", 1 << 20, 1, 1 << 26);
        double maxAhead = scoring.number("maxAheadSeconds", 5, 1, 300);
        DataClockLimits dataClock = new DataClockLimits(
                Duration.ofMillis(Math.round(1000 * scoring.number("clockSkewSeconds", 300, 1, 86_400))),
                Duration.ofMillis(Math.round(3_600_000 * scoring.number("catchUpHours", 168, 0.01, 87_600))));
        int sensorWindows = scoring.integer("sensorAlertWindows", 3, 1, 1000);
        Duration warmUp = Duration.ofMillis(Math.round(1000 * scoring.number("warmUpSeconds", 0, 0, 600)));
        Object follow = scoring.value("followDrift");
        if (follow instanceof String text && (text.equals("true") || text.equals("false"))) {
            follow = Boolean.valueOf(text); // from an environment override
        }
        if (follow != null && !(follow instanceof Boolean)) {
            scoring.problem("followDrift", "expected true or false, found " + follow);
        }
        List<Machine> machines = new ArrayList<>();
        Object raw = json.getValue("machines");
        if (!(raw instanceof JsonArray list) || list.isEmpty()) {
            root.problem("machines", "expected a non-empty list of machines (id, kind, tenant, model)");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String key = "machines[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject entry)) {
                    problems.add(key + ": expected a mapping");
                    continue;
                }
                Section m = new Section(entry, key, problems);
                String id = m.string("id", null);
                String kind = m.string("kind", "cnc");
                String tenant = m.string("tenant", "default");
                String model = m.string("model", null);
                if (id != null && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                    m.problem("id", "'" + id + "' must be 1-128 letters, digits, '.', '_' or '-'");
                } else if (id != null && !ids.add(id)) {
                    m.problem("id", "duplicate machine id '" + id + "'");
                }
                IsoZone.MachineClass iso = null;
                if (m.value("isoClass") != null) {
                    try {
                        iso = IsoZone.MachineClass.parse(String.valueOf(m.value("isoClass")));
                    } catch (IllegalArgumentException e) {
                        m.problem("isoClass", e.getMessage());
                    }
                }
                if (id != null && model != null) {
                    machines.add(new Machine(id, kind, tenant, resolve(baseDir, model, m, "model"), iso));
                }
            }
        }
        Section auth = root.section("auth");
        boolean authDisabled = Boolean.TRUE.equals(auth.value("disabled"));
        List<TokenSettings> tokens = authDisabled ? List.of() : tokens(auth, ids(machines), problems);
        Tls tls = tls(http.section("tls"), baseDir);
        Section alerts = root.section("alerts");
        AlertPolicy policy = new AlertPolicy(
                minutes(alerts.number("escalateAfterMinutes", 30, 0.1, 10_080)),
                Duration.ofMillis(Math.round(1000 * alerts.number("escalationCheckSeconds", 30, 0.1, 3600))),
                minutes(alerts.number("persistentAfterMinutes", 10, 0, 10_080)),
                Duration.ofMillis(Math.round(1000 * alerts.number("staleAfterSeconds", 30, 1, 86_400))));
        History history = new History(
                Duration.ofSeconds(storage.integer("scoreBucketSeconds", 10, 1,
                        3600)),
                Duration.ofDays(storage.integer("scoreHistoryDays", 90, 1, 3650)));
        Retention retention = new Retention(
                days(storage.number("outboxDays", 30, 0.01, 36_500)),
                days(storage.number("availabilityEventsDays", 30, 0.01, 36_500)),
                days(storage.number("resolvedAlertDays", 365, 0.01, 36_500)));
        Section fb = root.section("feedback");
        Feedback feedback = new Feedback(fb.number("step", 1.1, 1, 2),
                fb.number("max", 1.5, 1, 10));
        MqttSettings mqttSettings = mqtt(mqtt, baseDir);
        KafkaSettings kafkaSettings = kafka(root.section("kafka"), baseDir);
        Scheduler scheduler = scheduler(root.section("scheduler"), problems);
        Section rec = root.section("recording");
        boolean recordingOn = !Boolean.FALSE.equals(rec.value("enabled"));
        RecordingSettings recording = new RecordingSettings(
                resolve(baseDir, rec.string("path", "data/recordings"), rec, "path"),
                Duration.ofSeconds(rec.integer("beforeSeconds", 60, 0, 3600)),
                Duration.ofSeconds(rec.integer("afterSeconds", 60, 0, 3600)),
                minutes(rec.number("healthyEveryMinutes", 60, 0, 100_000)),
                Duration.ofSeconds(rec.integer("healthySeconds", 20, 1, 3600)),
                Math.round(rec.number("quotaMb", 2048, 1, 10_000_000) * (1 << 20)));
        Path storePath = resolve(baseDir, store, storage, "path");
        problems.addAll(keys.unknown(file));
        if (!problems.isEmpty()) {
            return null;
        }
        return new RuntimeConfig(host, port, storePath, tolerance, inFlight, maxSamples,
                sensorWindows, machines, mqttSettings, new Security(authDisabled, tokens, tls, connections), policy, history, feedback,
                recordingOn ? recording : null, maxAhead, scheduler, Boolean.TRUE.equals(follow), dataClock, retention,
                warmUp, kafkaSettings);
    }

    private static MqttSettings mqtt(Section mqtt, Path baseDir) {
        String host = mqtt.optional("host");
        Section tlsJson = mqtt.section("tls");
        boolean tlsOn = mqtt.has("tls");
        int port = mqtt.integer("port", tlsOn ? 8883 : 1883, 1, 65535);
        String user = mqtt.optional("username");
        String password = mqtt.optional("password");
        String topic = mqtt.string("topic", MqttTopics.DEFAULT);
        try {
            new MqttTopics(topic);
        } catch (IllegalArgumentException e) {
            mqtt.problem("topic", e.getMessage());
        }
        // the broker keeps the persistent session under the client id: stable per installation, distinct per instance
        String clientId = mqtt.string("clientId", "vigil-" + hostName());
        if (clientId != null && (clientId.isEmpty() || clientId.length() > 64)) {
            mqtt.problem("clientId", "1 to 64 characters, found " + clientId.length());
        }
        Object persistent = mqtt.value("persistentSession", true);
        if (!(persistent instanceof Boolean) && !"true".equals(persistent) && !"false".equals(persistent)) {
            mqtt.problem("persistentSession", "expected true or false, found " + persistent);
        }
        MqttSettings.Tls tls = null;
        if (tlsOn) {
            Path ca = file(tlsJson, "ca", baseDir);
            Path cert = file(tlsJson, "cert", baseDir);
            Path key = file(tlsJson, "key", baseDir);
            Path keyStore = file(tlsJson, "keyStore", baseDir);
            String keyStorePassword = tlsJson.optional("password");
            if ((cert == null) != (key == null)) {
                tlsJson.problem("a client certificate needs both cert and key");
            }
            if (keyStore != null && cert != null) {
                tlsJson.problem("a client certificate as keyStore or as cert and key, not both");
            }
            Object verify = tlsJson.value("verifyHost", true);
            if (!(verify instanceof Boolean)) {
                tlsJson.problem("verifyHost", "expected true or false, found " + verify);
            }
            tls = new MqttSettings.Tls(ca, cert, key, keyStore, keyStorePassword,
                    !Boolean.FALSE.equals(verify));
        }
        return host == null ? null : new MqttSettings(host, port, user, password, topic, clientId,
                !Boolean.FALSE.equals(persistent) && !"false".equals(persistent), tls);
    }

    /** Kafka topic names: what the brokers accept (letters, digits, '.', '_', '-'; at most 249; not . or ..). */
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> KAFKA_PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> SASL_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    /** The {@code kafka} section, or null when there is none (a single box). */
    private static KafkaSettings kafka(Section kafka, Path baseDir) {
        if (kafka.isEmpty()) {
            return null;
        }
        String bootstrap = kafka.optional("bootstrapServers");
        if (bootstrap == null) {
            kafka.problem("bootstrapServers", "required: the brokers as host:port[,host:port...]");
        } else if (!bootstrap.matches("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*")) {
            kafka.problem("bootstrapServers", "expected host:port[,host:port...], found '" + bootstrap + "'");
        }
        String group = kafka.string("group", "vigil");
        String instance = kafka.string("instance", "vigil-" + hostName());
        for (String[] name : new String[][]{{"group", group}, {"instance", instance}}) {
            if (name[1] != null && !name[1].matches("[A-Za-z0-9._-]{1,64}")) {
                kafka.problem(name[0], "'" + name[1] + "' must be 1-64 letters, digits, '.', '_' or '-'");
            }
        }
        Section t = kafka.section("topics");
        KafkaSettings.Topics d = KafkaSettings.Topics.defaults();
        KafkaSettings.Topics topics = new KafkaSettings.Topics(topic(t, "frames", d.frames()), topic(t, "state", d.state()),
                topic(t, "commands", d.commands()), topic(t, "alerts", d.alerts()),
                topic(t, "availability", d.availability()), topic(t, "models", d.models()));
        Set<String> distinct = new HashSet<>(List.of(topics.frames(), topics.state(), topics.commands(), topics.alerts(),
                topics.availability(), topics.models()));
        if (distinct.size() < 6) {
            t.problem("each topic needs its own name (frames, state, commands, alerts, availability, models)");
        }
        int partitions = kafka.integer("partitions", 12, 1, 10_000);
        int replication = kafka.integer("replicationFactor", 0, 0, 32);
        double retention = kafka.number("framesRetentionHours", 24, 0.1, 24 * 365);
        Object create = kafka.value("createTopics", true);
        if (!(create instanceof Boolean) && !"true".equals(create) && !"false".equals(create)) {
            kafka.problem("createTopics", "expected true or false, found " + create);
        }
        Section sec = kafka.section("security");
        String protocol = sec.string("protocol", "PLAINTEXT");
        if (protocol != null && !KAFKA_PROTOCOLS.contains(protocol)) {
            sec.problem("protocol", "expected one of " + new java.util.TreeSet<>(KAFKA_PROTOCOLS) + ", found " + protocol);
        }
        boolean sasl = protocol != null && protocol.startsWith("SASL_");
        String mechanism = sec.optional("saslMechanism");
        String user = sec.optional("username");
        String password = sec.optional("password");
        if (sasl) {
            if (mechanism == null) {
                mechanism = "SCRAM-SHA-512";
            } else if (!SASL_MECHANISMS.contains(mechanism)) {
                sec.problem("saslMechanism", "expected one of " + new java.util.TreeSet<>(SASL_MECHANISMS) + ", found "
                        + mechanism);
            }
            if (user == null || password == null) {
                sec.problem("SASL (" + protocol + ") needs username and password");
            }
        } else if (mechanism != null || user != null) {
            sec.problem("saslMechanism, username and password are for protocol SASL_PLAINTEXT or SASL_SSL, not "
                    + protocol);
        }
        Path trustStore = file(sec, "trustStore", baseDir);
        return new KafkaSettings(bootstrap, group, instance, topics, partitions, replication, retention,
                !Boolean.FALSE.equals(create) && !"false".equals(create),
                new KafkaSettings.Security(protocol, sasl ? mechanism : null, user, password, trustStore,
                        sec.optional("trustStorePassword")));
    }

    private static String topic(Section topics, String field, String fallback) {
        String name = topics.string(field, fallback);
        if (name != null && (!TOPIC.matcher(name).matches() || name.equals(".") || name.equals(".."))) {
            topics.problem(field, "'" + name + "' is not a Kafka topic name (1-249 letters, digits, '.', '_', '-')");
        }
        return name;
    }

    /** {@code name} relative to the configuration's folder; a name that is no path (a NUL byte, say) is a problem. */
    private static Path resolve(Path baseDir, String name, Section where, String field) {
        try {
            return baseDir.resolve(name).normalize();
        } catch (InvalidPathException e) {
            where.problem(field, "not a valid path (" + e.getReason() + ")");
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
    private static Path file(Section o, String field, Path baseDir) {
        String name = o.optional(field);
        if (name == null) {
            return null;
        }
        Path p = resolve(baseDir, name, o, field);
        if (!Files.isReadable(p)) {
            o.problem(field, "cannot read " + p);
        }
        return p;
    }

    private static Scheduler scheduler(Section s, List<String> problems) {
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        Object raw = s.value("endpoints");
        if (raw instanceof JsonArray list) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String key = "scheduler.endpoints[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject entry)) {
                    problems.add(key + ": expected a mapping");
                    continue;
                }
                Section e = new Section(entry, key, problems);
                String name = e.string("name", null);
                String url = e.string("url", null);
                String secret = e.string("secret", null);
                if (name != null && name.startsWith("@")) {
                    // the outbox's own destinations (@kafka) start with @
                    e.problem("name", "'" + name + "' must not start with '@'");
                } else if (name != null && !names.add(name)) {
                    e.problem("name", "duplicate endpoint name '" + name + "'");
                }
                java.net.URI uri = null;
                if (url != null) {
                    try {
                        uri = java.net.URI.create(url);
                        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                            e.problem("url", "'" + url + "' must be an http(s) URL with a host");
                            uri = null;
                        }
                    } catch (IllegalArgumentException ex) {
                        e.problem("url", "'" + url + "' is not a URL");
                    }
                }
                if (secret != null && secret.length() < 16) {
                    e.problem("secret", "at least 16 characters");
                }
                Set<String> tenants = new HashSet<>();
                if (e.value("tenants") instanceof JsonArray ts) {
                    ts.forEach(x -> tenants.add(String.valueOf(x)));
                }
                if (name != null && uri != null && secret != null) {
                    endpoints.add(new WebhookEndpoint(name, uri, secret, tenants));
                }
            }
        } else if (raw != null) {
            s.problem("endpoints", "expected a list of {name, url, secret[, tenants]}");
        }
        return new Scheduler(s.string("site", "edge"), endpoints,
                Duration.ofMillis(Math.round(3_600_000 * s.number("deadAfterHours", 24,
                        0.0001, 24 * 30))),
                minutes(s.number("recoveryMinutes", 10, 0, 10_080)),
                Duration.ofMinutes(Math.round(60 * s.number("atRiskHours", 8, 0,
                        24 * 365))));
    }

    private static Duration minutes(double m) {
        return Duration.ofMillis(Math.round(m * 60_000));
    }

    private static Duration days(double d) {
        return Duration.ofMillis(Math.round(d * 86_400_000));
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
    private static List<TokenSettings> tokens(Section auth, Set<String> machineIds, List<String> problems) {
        Object raw = auth.value("tokens");
        if (!(raw instanceof JsonArray list) || list.isEmpty()) {
            auth.problem("tokens", "required, a list of {name, role, sha256[, machines]} (`vigil token` makes one);"
                    + " or auth.disabled: true on a closed test network");
            return List.of();
        }
        List<TokenSettings> tokens = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "auth.tokens[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject entry)) {
                problems.add(key + ": expected a mapping");
                continue;
            }
            Section t = new Section(entry, key, problems);
            String name = t.string("name", null);
            String roleText = t.string("role", null);
            String hash = t.string("sha256", null);
            Role role = roleText == null ? null : Role.parse(roleText);
            if (roleText != null && role == null) {
                t.problem("role", "'" + roleText + "' is not one of device, engineer, scheduler, monitor, admin");
            }
            if (name != null && !names.add(name)) {
                t.problem("name", "duplicate token name '" + name + "'");
            }
            if (hash != null && !hash.matches("[0-9a-f]{64}")) {
                t.problem("sha256", "expected 64 lower-case hex digits (the SHA-256 of the token, not the token)");
                hash = null;
            }
            Set<String> own = new HashSet<>();
            Object ms = t.value("machines");
            if (ms instanceof JsonArray arr) {
                for (Object m : arr) {
                    if (!machineIds.contains(String.valueOf(m))) {
                        t.problem("machines", "unknown machine '" + m + "'");
                    }
                    own.add(String.valueOf(m));
                }
            } else if (ms != null) {
                t.problem("machines", "expected a list of machine ids");
            }
            if (role == Role.DEVICE && own.isEmpty()) {
                t.problem("machines", "a device token must list the machines it sends data for");
            }
            Set<String> scope = new HashSet<>();
            if (t.value("tenants") instanceof JsonArray ts) {
                ts.forEach(x -> scope.add(String.valueOf(x)));
            } else if (t.value("tenants") != null) {
                t.problem("tenants", "expected a list of tenants");
            }
            if (hash != null && !hashes.add(hash)) {
                t.problem("sha256", "the same token is configured twice");
            } else if (hash != null && name != null && role != null) {
                tokens.add(new TokenSettings(name, role, hash, role == Role.DEVICE ? own : Set.of(), scope));
            }
        }
        return tokens;
    }

    private static Tls tls(Section tls, Path baseDir) {
        if (tls.isEmpty()) {
            return null;
        }
        String keyStore = tls.optional("keyStore");
        String cert = tls.optional("cert");
        String key = tls.optional("key");
        String password = tls.optional("password");
        if ((keyStore == null) == (cert == null) || cert != null && key == null) {
            tls.problem("give either keyStore (PKCS#12) and password, or cert and key (PEM)");
            return null;
        }
        Path ks = keyStore == null ? null : resolve(baseDir, keyStore, tls, "keyStore");
        Path c = cert == null ? null : resolve(baseDir, cert, tls, "cert");
        Path k = key == null ? null : resolve(baseDir, key, tls, "key");
        for (Path f : new Path[]{ks, c, k}) {
            if (f != null && !Files.isRegularFile(f)) {
                tls.problem("file not found: " + f);
            }
        }
        return new Tls(ks, password, c, k);
    }
}
