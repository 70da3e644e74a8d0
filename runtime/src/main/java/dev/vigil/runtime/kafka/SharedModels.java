package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.score.ModelLifecycle;
import dev.vigil.runtime.score.ModelSet;
import dev.vigil.runtime.score.ModelSharing;
import dev.vigil.runtime.score.ModelVersion;
import io.vertx.core.Deployable;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The models deployed through the API, the same on every instance of a cluster: a change made on any instance
 * (deploy, shadow, rollback, promote, stop the shadow) is written to the compacted models topic, and every instance
 * reads that topic whole and gives the machine the same models, whether it scores the machine now or takes it over
 * later. So a machine keeps its deployed model when it moves, and any instance's API shows it.
 *
 * <p>Two kinds of record, on the partition of the machine's id (so in the order they were written):
 * <ul>
 *   <li>a bundle, in chunks of at most {@value #CHUNK} bytes (under the brokers' default message size), keyed
 *   {@code <machine>/<version>/<chunk>}, header {@code vigil-record: bundle} and {@code vigil-chunks}; a receiver keeps
 *   it only when its content has that version (the SHA-256 the version is made of) and reads as a bundle;</li>
 *   <li>a machine's models, keyed by its id, header {@code vigil-record: model}, JSON {@code vigil-machine-models}
 *   v1: {@code active}, {@code previous}, {@code shadow} versions, the {@code configured} bundle's version of the
 *   instance that wrote it, {@code action}, {@code by}, {@code at}, {@code writtenBy}.</li>
 * </ul>
 * The newest model record of a machine wins everywhere (concurrent changes on two instances: the one the brokers
 * put last). A record written while an instance's configuration named another bundle for the machine is passed
 * over, as a single box lets a changed configuration win over earlier deployments. Bundles no machine's models
 * name any more are deleted from the topic (tombstones) by the instance that made the change.
 */
public final class SharedModels implements ModelSharing, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    static final int CHUNK = 512 * 1024;
    static final String KIND = "vigil-record";
    static final String CHUNKS = "vigil-chunks";
    static final String FORMAT = "vigil-machine-models";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaSettings settings;
    /** Each machine's configured bundle here, and its version. */
    private final Map<String, Path> configured;
    private final Map<String, String> configuredVersions = new HashMap<>();
    /** Bundles on the topic, {@code machine/version}, with their chunk counts: read there or written from here. */
    private final Map<String, Integer> onTopic = new ConcurrentHashMap<>();
    /** Per machine, the offset of the newest model record this instance wrote (older records are behind it here). */
    private final Map<String, Long> ownNewest = new ConcurrentHashMap<>();
    /** Chunks of bundles being read, by {@code machine/version} (the reader's thread only). */
    private final Map<String, byte[][]> reading = new HashMap<>();
    private volatile ModelLifecycle lifecycle;
    private KafkaProducer<String, byte[]> producer;

    /** @param configured each configured machine's bundle, as the configuration names it */
    public SharedModels(KafkaSettings settings, Map<String, Path> configured) throws IOException {
        this.settings = settings;
        this.configured = Map.copyOf(configured);
        for (Map.Entry<String, Path> e : configured.entrySet()) {
            configuredVersions.put(e.getKey(), ModelVersion.of(e.getValue()));
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producerProperties("models"), new StringSerializer(),
                    new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void changed(String machineId, ModelSet models, Function<String, Path> bundles, String action,
                                     String by, Instant at) throws Exception {
        String topic = settings.topics().models();
        int partition = Utils.toPositive(Utils.murmur2(machineId.getBytes(StandardCharsets.UTF_8)))
                % producer().partitionsFor(topic).size();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Map<String, Integer> written = new LinkedHashMap<>();
        String previous = models.previous();
        for (String v : new String[]{models.active(), previous, models.shadow()}) {
            if (v == null || onTopic.containsKey(machineId + "/" + v) || written.containsKey(machineId + "/" + v)) {
                continue;
            }
            Path file = bundles.apply(v);
            if (v.equals(previous) && !Files.isRegularFile(file)) {
                // the rollback target's bundle was cleaned up here: the others get no rollback target
                previous = null;
                continue;
            }
            byte[] content = Files.readAllBytes(file);
            int n = Math.max(1, (content.length + CHUNK - 1) / CHUNK);
            for (int i = 0; i < n; i++) {
                byte[] chunk = java.util.Arrays.copyOfRange(content, i * CHUNK, Math.min(content.length, (i + 1) * CHUNK));
                RecordHeaders h = new RecordHeaders();
                h.add(KIND, "bundle".getBytes(StandardCharsets.UTF_8));
                h.add(CHUNKS, String.valueOf(n).getBytes(StandardCharsets.UTF_8));
                sent.add(producer().send(new ProducerRecord<>(topic, partition, machineId + "/" + v + "/" + i, chunk, h)));
            }
            written.put(machineId + "/" + v, n);
        }
        JsonObject record = new JsonObject().put("format", FORMAT).put("formatVersion", 1).put("machine", machineId)
                .put("active", models.active()).put("previous", previous).put("shadow", models.shadow())
                .put("configured", configuredVersions.get(machineId)).put("action", action).put("by", by)
                .put("at", at.toString()).put("writtenBy", settings.instance());
        RecordHeaders h = new RecordHeaders();
        h.add(KIND, "model".getBytes(StandardCharsets.UTF_8));
        Future<RecordMetadata> model = producer().send(new ProducerRecord<>(topic, partition, machineId,
                record.encode().getBytes(StandardCharsets.UTF_8), h));
        for (Future<RecordMetadata> f : sent) {
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        ownNewest.put(machineId, model.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).offset());
        onTopic.putAll(written);
        forget(machineId, models, bundles, topic, partition);
    }

    /** Deletes from the topic the machine's bundles its models no longer name and this instance cleaned up. */
    private void forget(String machineId, ModelSet models, Function<String, Path> bundles, String topic, int partition)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Map.Entry<String, Integer> e : List.copyOf(onTopic.entrySet())) {
            if (!e.getKey().startsWith(machineId + "/")) {
                continue;
            }
            String v = e.getKey().substring(machineId.length() + 1);
            if (v.equals(models.active()) || v.equals(models.previous()) || v.equals(models.shadow())
                    || Files.isRegularFile(bundles.apply(v))) {
                continue;
            }
            for (int i = 0; i < e.getValue(); i++) {
                RecordHeaders h = new RecordHeaders();
                h.add(KIND, "bundle".getBytes(StandardCharsets.UTF_8));
                sent.add(producer().send(new ProducerRecord<>(topic, partition, e.getKey() + "/" + i, null, h)));
            }
            onTopic.remove(e.getKey());
        }
        for (Future<RecordMetadata> f : sent) {
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The reader every instance runs: reads the models topic from its start (the service starts scoring only once it
     * has read what was there) and gives each configured machine the models its newest record names.
     */
    public Deployable reader(ModelLifecycle models) {
        this.lifecycle = models;
        return new TopicFollower<>(settings, settings.topics().models(), "models", new ByteArrayDeserializer(),
                this::take, true);
    }

    void take(ConsumerRecord<String, byte[]> r) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        Header kind = r.headers().lastHeader(KIND);
        String k = kind == null ? "" : new String(kind.value(), StandardCharsets.UTF_8);
        try {
            if (r.key() == null) {
                throw new IllegalArgumentException("no key");
            }
            switch (k) {
                case "bundle" -> bundle(r);
                case "model" -> model(r);
                default -> throw new IllegalArgumentException("header " + KIND + " is '" + k + "', expected bundle or "
                        + "model");
            }
        } catch (IllegalArgumentException | IOException | java.sql.SQLException e) {
            LOG.error("kafka: models record {} ({}) not taken: {}", where, r.key(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("kafka: models record {} ({}) not taken: {}", where, r.key(), e.toString(), e);
        }
    }

    private void bundle(ConsumerRecord<String, byte[]> r) throws IOException {
        int last = r.key().lastIndexOf('/');
        int mid = last < 0 ? -1 : r.key().lastIndexOf('/', last - 1);
        if (mid <= 0) {
            throw new IllegalArgumentException("a bundle's key is <machine>/<version>/<chunk>");
        }
        String name = r.key().substring(0, last);
        String machineId = r.key().substring(0, mid);
        String version = r.key().substring(mid + 1, last);
        if (r.value() == null) {
            // deleted: no machine's models name it; the bundle files here go with this instance's own clean-up
            onTopic.remove(name);
            reading.remove(name);
            return;
        }
        int chunk;
        int chunks;
        try {
            chunk = Integer.parseInt(r.key().substring(last + 1));
            Header h = r.headers().lastHeader(CHUNKS);
            chunks = h == null ? -1 : Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chunk number or " + CHUNKS + " header is not a number");
        }
        if (chunks < 1 || chunks > 4096 || chunk < 0 || chunk >= chunks) {
            throw new IllegalArgumentException("chunk " + chunk + " of " + chunks + " (" + CHUNKS + " 1-4096)");
        }
        byte[][] parts = reading.get(name);
        if (parts == null || parts.length != chunks) {
            parts = new byte[chunks][];
            reading.put(name, parts);
        }
        parts[chunk] = r.value();
        for (byte[] p : parts) {
            if (p == null) {
                return;
            }
        }
        reading.remove(name);
        if (!configured.containsKey(machineId)) {
            return;
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            whole.write(p);
        }
        lifecycle.keepShared(machineId, version, whole.toByteArray());
        // only a bundle that is what it says counts as there: one forged under a version would otherwise keep the
        // real bundle of that version from being written
        onTopic.put(name, chunks);
    }

    private void model(ConsumerRecord<String, byte[]> r) throws IOException, java.sql.SQLException {
        String machineId = r.key();
        if (r.value() == null || !configured.containsKey(machineId)) {
            return;
        }
        Long own = ownNewest.get(machineId);
        if (own != null && r.offset() < own) {
            // this instance changed the machine's models after it: its own newer record comes later and wins
            return;
        }
        JsonObject o;
        try {
            o = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (!FORMAT.equals(o.getValue("format")) || !Integer.valueOf(1).equals(o.getValue("formatVersion"))) {
            throw new IllegalArgumentException("format " + o.getValue("format") + " v" + o.getValue("formatVersion")
                    + ", expected " + FORMAT + " v1");
        }
        if (!machineId.equals(o.getValue("machine"))) {
            throw new IllegalArgumentException("machine " + o.getValue("machine") + ", the key says " + machineId);
        }
        ModelSet set = new ModelSet(version(o, "active", true), version(o, "previous", false),
                version(o, "shadow", false));
        String action = text(o, "action");
        String by = text(o, "by");
        Instant at;
        try {
            at = Instant.parse(text(o, "at"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field 'at' is not an ISO-8601 instant");
        }
        String theirs = o.getValue("configured") instanceof String s ? s : null;
        if (!configuredVersions.get(machineId).equals(theirs)) {
            LOG.warn("kafka: models of {} from {} ({} by {}) not taken: written while the configured bundle was {}, "
                    + "here it is {} (a changed configuration wins; configure the same bundle on every instance)",
                    machineId, o.getValue("writtenBy"), action, by, theirs, configuredVersions.get(machineId));
            return;
        }
        if (lifecycle.adopt(machineId, set, action, by, at, configured.get(machineId))) {
            LOG.info("kafka: {} now has models {} ({} by {} on {})", machineId, set, action, by, o.getValue("writtenBy"));
        }
    }

    private static String version(JsonObject o, String field, boolean required) {
        Object v = o.getValue(field);
        if (v == null && !required) {
            return null;
        }
        if (!(v instanceof String s) || !s.matches("[0-9a-f]{12}")) {
            throw new IllegalArgumentException("field '" + field + "' must be a model version (12 hex digits), found "
                    + v);
        }
        return s;
    }

    private static String text(JsonObject o, String field) {
        if (!(o.getValue(field) instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return s;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
