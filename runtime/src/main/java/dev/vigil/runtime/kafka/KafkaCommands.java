package dev.vigil.runtime.kafka;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.alert.Verdict;
import dev.vigil.runtime.api.ActionForward;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.score.LevelFeedback;
import dev.vigil.runtime.store.AvailabilityLog;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Engineers' actions on alerts between the instances of a cluster, through the commands topic: an instance asked to
 * change an alert of a machine another instance scores hands the action on (keyed by machine, on the machine's
 * partition, so to its owner, in order), and the owner applies the actions it reads on its partitions as if its own
 * API had taken them. The owner hands the changed state on as after any change; every instance shows it from there.
 * The value is JSON: {@code action} (acknowledge, assign, comment, resolve), {@code alert}, {@code by}, and the
 * action's fields as the API took them; or, for the machine of the key, {@code action} reset-feedback and {@code by},
 * or scheduler-ack with {@code by}, {@code excluded} and {@code at} (epoch ms) (docs/SCALE-OUT.md).
 */
public final class KafkaCommands implements ActionForward, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCommands.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    static final java.util.List<String> ACTIONS = java.util.List.of("acknowledge", "assign", "comment", "resolve",
            "reset-feedback", "scheduler-ack");
    private final KafkaSettings settings;
    private final Ownership ownership;
    private final AlertService alerts;
    private final LevelFeedback feedback;
    private final AvailabilityLog availability;
    private final ChangedMachines changed;
    private KafkaProducer<String, byte[]> producer;

    public KafkaCommands(KafkaSettings settings, Ownership ownership, AlertService alerts, LevelFeedback feedback,
                         AvailabilityLog availability, ChangedMachines changed) {
        this.feedback = feedback;
        this.availability = availability;
        this.changed = changed;
        this.settings = settings;
        this.ownership = ownership;
        this.alerts = alerts;
    }

    @Override
    public boolean elsewhere(String machineId) {
        return !ownership.scores(machineId);
    }

    @Override
    public synchronized String forward(String machineId, JsonObject action) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producerProperties("commands"), new StringSerializer(),
                    new ByteArraySerializer());
        }
        // on the partition the machine's frames come on: its owner reads it (gateways may partition otherwise
        // than this producer would by the key)
        Integer partition = ownership.partitionOf(machineId);
        producer.send(new ProducerRecord<>(settings.topics().commands(), partition, machineId,
                action.encode().getBytes(StandardCharsets.UTF_8))).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return "the instance scoring " + machineId + " (kafka topic " + settings.topics().commands() + ")";
    }

    /**
     * Applies an action read on this instance's partitions. An action that cannot be applied (no such alert, already
     * resolved, not this machine's, unreadable) is logged and passed over: the engineer sees the alert unchanged.
     *
     * @throws SQLException when the store could not take it (read again)
     */
    void apply(ConsumerRecord<String, byte[]> r) throws SQLException {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        try {
            if (r.value() == null || r.key() == null) {
                throw new IllegalArgumentException("no key or no value");
            }
            JsonObject c;
            try {
                c = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
            } catch (DecodeException | ClassCastException e) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Object action = c.getValue("action");
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("unknown action '" + action + "' (expected one of " + ACTIONS + ")");
            }
            if ("reset-feedback".equals(c.getValue("action"))) {
                resetFeedback(r.key(), c);
                return;
            }
            if ("scheduler-ack".equals(c.getValue("action"))) {
                schedulerAck(r.key(), c);
                return;
            }
            long id = c.getLong("alert", 0L);
            Alert a = alerts.get(id).orElseThrow(() -> new IllegalArgumentException("no alert " + id));
            if (!a.machineId().equals(r.key())) {
                throw new IllegalArgumentException("alert " + id + " is for machine " + a.machineId() + ", the key says "
                        + r.key());
            }
            if (!ownership.scores(a.machineId())) {
                throw new IllegalArgumentException(a.machineId() + " is not scored here (the group's assignment does "
                        + "not keep the commands and frames partitions together)");
            }
            String by = c.getString("by");
            if (by == null || by.isBlank()) {
                throw new IllegalArgumentException("field 'by' is required");
            }
            switch (String.valueOf(c.getString("action"))) {
                case "acknowledge" -> alerts.acknowledge(id, by);
                case "assign" -> alerts.assign(id, c.getString("assignee"), by);
                case "comment" -> alerts.comment(id, by, c.getString("text"));
                case "resolve" -> alerts.resolve(id, by, Verdict.parse(c.getString("verdict")), c.getString("fault"),
                        c.getString("note"));
                default -> throw new IllegalArgumentException("unknown action '" + c.getString("action") + "'");
            }
            LOG.info("kafka: {} by {} on alert {} of {} (handed on by another instance)", c.getString("action"), by, id,
                    a.machineId());
        } catch (SQLException e) {
            throw e;
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            LOG.warn("kafka: command {} not applied: {}", where, e.getMessage());
        } catch (Exception e) {
            LOG.warn("kafka: command {} not applied: {}", where, e.toString());
        }
    }

    /** A scheduler's confirmation given to another instance: kept here and handed on with the machine's state. */
    private void schedulerAck(String machineId, JsonObject c) throws SQLException {
        if (!ownership.scores(machineId)) {
            throw new IllegalArgumentException(machineId + " is not scored here (the group's assignment does not keep the "
                    + "commands and frames partitions together)");
        }
        if (!(c.getValue("by") instanceof String by) || by.isBlank()) {
            throw new IllegalArgumentException("field 'by' is required");
        }
        if (!(c.getValue("excluded") instanceof Boolean excluded)) {
            throw new IllegalArgumentException("field 'excluded' is required");
        }
        if (!(c.getValue("at") instanceof Number at)) {
            throw new IllegalArgumentException("field 'at' is required");
        }
        availability.schedulerAck(machineId, new AvailabilityLog.SchedulerAck(by, Instant.ofEpochMilli(at.longValue()),
                excluded));
        changed.accept(machineId);
        LOG.info("kafka: scheduler {} confirmed {} {} (handed on by another instance)", by, machineId,
                excluded ? "excluded" : "re-admitted");
    }

    /** A machine's levels back to its calibration, asked on another instance. */
    private void resetFeedback(String machineId, JsonObject c) throws SQLException {
        if (!ownership.scores(machineId)) {
            throw new IllegalArgumentException(machineId + " is not scored here (the group's assignment does not keep the "
                    + "commands and frames partitions together)");
        }
        String by = c.getValue("by") instanceof String s && !s.isBlank() ? s : null;
        if (by == null) {
            throw new IllegalArgumentException("field 'by' is required");
        }
        feedback.reset(machineId);
        LOG.info("kafka: feedback of {} reset by {} (handed on by another instance)", machineId, by);
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
