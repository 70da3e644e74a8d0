package dev.vigil.runtime.kafka;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.score.LevelFeedback;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.Outbox;
import io.vertx.core.Deployable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Machines' state moving with the machines between the instances of a cluster, through the compacted state topic
 * (keyed by machine id, co-partitioned with the frames: a machine's state is on the partition its frames come on).
 *
 * <p>The owner hands a machine's state on after every change, and before it commits the offsets of the frames that
 * made the change: {@link #handOn()} writes the state of every changed machine, waits for the brokers, and only then
 * lets the webhook and topic messages of those changes go ({@link Outbox#release}). The instance that is given a
 * partition reads that partition of the state topic to its end before it scores a frame of it ({@link #takeOver})
 * and takes the machines' alerts (same ids, histories), trackers and level feedback from there. So a fault in
 * progress stays one alert when its machine moves: either its state reached the topic, and the new owner updates
 * that alert, or it did not, and then nothing of it was announced, the frames' offsets were not committed, and the
 * new owner decides the change again from the same frames.
 *
 * <p>The ingest's consumer thread hands on and takes over (between polls and from its rebalance listener); the
 * fleet view's reader mirrors ({@link #mirror}); taking a record into the store is serialised between them.
 */
public final class MachineStates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MachineStates.class);
    /** Resolved alerts handed on besides the open ones (their histories for engineers looking at the new owner). */
    static final int RESOLVED_HANDED_ON = 20;
    /** Undelivered messages handed on with a machine, at most (a scheduler down for days leaves more). */
    static final int UNDELIVERED_HANDED_ON = 1000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaSettings settings;
    private final AlertService alerts;
    private final LevelFeedback feedback;
    private final Outbox outbox;
    private final AvailabilityLog availability;
    private final Ownership ownership;
    private final ChangedMachines changed;
    private final Map<String, MachineStream> machines;
    private final Set<String> endpoints;
    private final Clock clock;
    private final Consumer<AlertEvent> live;
    private final StateCodec codec = new StateCodec();
    /** Per machine, the offset of the newest state record taken into the store (taken over or mirrored). */
    private final Map<String, Long> applied = new HashMap<>();
    /** Whether the store may hold messages no change marked yet (at start): looked for once. */
    private boolean leftHeld = true;
    private KafkaProducer<String, byte[]> producer;

    public MachineStates(KafkaSettings settings, AlertService alerts, LevelFeedback feedback, Outbox outbox,
                         AvailabilityLog availability,
                         Ownership ownership, ChangedMachines changed, Map<String, MachineStream> machines,
                         Set<String> endpoints, Clock clock,
                         Consumer<AlertEvent> live) {
        this.live = live;
        this.endpoints = Set.copyOf(endpoints);
        this.settings = settings;
        this.alerts = alerts;
        this.feedback = feedback;
        this.outbox = outbox;
        this.availability = availability;
        this.ownership = ownership;
        this.changed = changed;
        this.machines = Map.copyOf(machines);
        this.clock = clock;
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = settings.producerProperties("state");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /**
     * Writes the state of every machine changed since the last call and owned here, waits until the brokers have
     * it, then releases the messages announcing those changes.
     *
     * @throws Exception when the brokers did not take it (the machines stay to be handed on; commit nothing)
     */
    public void handOn() throws Exception {
        // every change that makes a message (an alert's, an availability's) marks its machine: with none, the store
        // is not even asked (this runs after every batch of frames)
        Set<String> todo = new TreeSet<>(changed.drain());
        if (todo.isEmpty() && !leftHeld) {
            return;
        }
        // the held messages first: a state read after them includes every change they announce
        Map<String, Long> held;
        try {
            held = outbox.held();
        } catch (Exception | Error e) {
            changed.again(todo);
            throw e;
        }
        todo.addAll(held.keySet());
        leftHeld = false;
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        try {
            for (String m : todo) {
                Integer partition = ownership.partitionOf(m);
                if (partition == null || !ownership.test(m)) {
                    // it moved before its change was handed on: its new owner decided the change again; what is
                    // held here is never announced (dropped at the next start)
                    LOG.warn("kafka: the state of {} changed here after it moved to another instance; not handed on", m);
                    continue;
                }
                sent.put(m, producer().send(new ProducerRecord<>(settings.topics().state(), partition, m,
                        codec.encode(state(m)))));
            }
            for (Map.Entry<String, Future<RecordMetadata>> s : sent.entrySet()) {
                s.getValue().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception | Error e) {
            changed.again(todo);
            throw e;
        }
        for (String m : sent.keySet()) {
            Long upTo = held.get(m);
            if (upTo != null) {
                outbox.release(m, upTo);
            }
        }
    }

    private MachineState state(String machineId) throws Exception {
        List<Alert> list = alerts.handOver(machineId, RESOLVED_HANDED_ON);
        Map<Long, List<HistoryEntry>> histories = new LinkedHashMap<>();
        for (Alert a : list) {
            histories.put(a.id(), alerts.history(a.id()));
        }
        // after the alerts: the messages include every change the alerts show (perhaps one more, told twice)
        List<OutboxMessage> undelivered = outbox.undelivered(machineId, UNDELIVERED_HANDED_ON);
        if (undelivered.size() == UNDELIVERED_HANDED_ON) {
            LOG.warn("kafka: {} has at least {} undelivered messages; only the oldest {} move with it", machineId,
                    UNDELIVERED_HANDED_ON, UNDELIVERED_HANDED_ON);
        }
        return new MachineState(machineId, settings.instance(), clock.instant(), list, histories,
                feedback.of(machineId).orElse(null), undelivered, machines.get(machineId).alarmState(),
                availability.schedulerAckOf(machineId).orElse(null), machines.get(machineId).driftState());
    }

    /**
     * Takes over the machines of newly assigned partitions from the state topic: reads those partitions to their
     * end (the latest state of each machine wins) and adopts each machine configured here. A record that cannot be
     * read is logged and passed over (that machine starts from what this instance knows).
     *
     * @return the machines taken over
     */
    public List<String> takeOver(Collection<TopicPartition> framePartitions) throws Exception {
        if (framePartitions.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> parts = framePartitions.stream()
                .map(p -> new TopicPartition(settings.topics().state(), p.partition())).toList();
        Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
        Map<String, Object> p = new HashMap<>(settings.clientProperties());
        p.put("client.id", settings.instance() + "-state-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp, WAIT) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the state topic's partitions " + parts + " not read to their end in "
                            + WAIT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && !r.key().startsWith("@") && r.value() != null) {
                        latest.put(r.key(), r);
                    }
                }
            }
        }
        List<String> taken = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : latest.values()) {
            MachineState s = apply(r, true);
            if (s != null) {
                taken.add(s.machineId());
                LOG.info("kafka: took over {} as {} left it at {}: {} open alerts", s.machineId(), s.writtenBy(), s.at(),
                        s.alerts().stream().filter(Alert::open).count());
            }
        }
        return taken;
    }

    /**
     * The fleet view: another instance's state record of a machine this instance does not score, read as it is
     * written, so that any instance's alert API shows the whole fleet's alerts with their histories. Records older
     * than what this instance has of the machine already are passed over.
     */
    public void mirror(ConsumerRecord<String, byte[]> r) {
        try {
            apply(r, false);
        } catch (Exception e) {
            LOG.warn("kafka: state {}-{}@{} of {} not shown here: {}", r.topic(), r.partition(), r.offset(), r.key(),
                    e.toString());
        }
    }

    /**
     * Takes a state record into this instance's store: taken over (the machine's partition is being assigned here)
     * or mirrored (another instance scores it). Returns the state applied, or null.
     */
    private synchronized MachineState apply(ConsumerRecord<String, byte[]> r, boolean takeOver) throws Exception {
        if (r.key() == null || r.key().startsWith("@") || r.value() == null || !machines.containsKey(r.key())) {
            return null;
        }
        Long had = applied.get(r.key());
        if (!takeOver) {
            if (had != null && had >= r.offset()) {
                return null;
            }
            ownership.located(r.key(), r.partition());
            if (ownership.scores(r.key())) {
                // scored here: this instance's own store is the truth for it
                return null;
            }
        }
        MachineState s;
        try {
            s = codec.decode(r.value());
            if (!s.machineId().equals(r.key())) {
                throw new IllegalArgumentException("machine: " + s.machineId() + ", the key says " + r.key());
            }
        } catch (IllegalArgumentException bad) {
            LOG.error("kafka: state {}-{}@{} of {} not taken: {}", r.topic(), r.partition(), r.offset(), r.key(),
                    bad.getMessage());
            applied.put(r.key(), r.offset());
            return null;
        }
        if (!takeOver && s.writtenBy().equals(settings.instance())) {
            // what this instance wrote while it scored the machine: its store has it already
            applied.put(r.key(), r.offset());
            return null;
        }
        // this instance's live event streams show the fleet's changes too
        alerts.adopt(s.machineId(), s.alerts(), s.histories()).forEach(live);
        applied.put(r.key(), Math.max(r.offset(), had == null ? -1 : had));
        // the owner's level factor: shown here, and the levels this instance scores with if the machine comes here
        feedback.adopt(s.machineId(), s.feedback());
        if (s.schedulerAck() != null) {
            availability.schedulerAck(s.machineId(), s.schedulerAck());
        }
        if (!takeOver) {
            return s;
        }
        // after the feedback (which sets the levels the alarm's state is continued with). Not from a record this
        // instance wrote: a rebalance gives most partitions back to the instance that had them, whose own stream went
        // on past it (the record is from the machine's last alert change, perhaps hours ago)
        if (s.alarm() != null && !s.writtenBy().equals(settings.instance())) {
            machines.get(s.machineId()).restoreAlarm(s.alarm());
        }
        // what the follower learned of the machine's slow drift (a day's worth): a fresh one would call the drifted
        // machine unhealthy after every move
        if (s.drift() != null && !s.writtenBy().equals(settings.instance())
                && !machines.get(s.machineId()).restoreDrift(s.drift())) {
            LOG.info("kafka: drift of {} learned by model {} not continued here (another model, or drift not "
                    + "followed here)", s.machineId(), s.drift().version());
        }
        List<OutboxMessage> deliverable = s.undelivered().stream().filter(m -> endpoints.contains(m.endpoint()))
                .toList();
        if (deliverable.size() < s.undelivered().size()) {
            LOG.warn("kafka: {} messages for {} go to endpoints this instance does not have (configure the same "
                    + "scheduler endpoints on every instance); not delivered from here",
                    s.undelivered().size() - deliverable.size(), s.machineId());
        }
        outbox.takeOn(deliverable, clock.instant());
        ownership.takenOver(s.machineId(), r.partition());
        return s;
    }

    /** The fleet view of alerts: reads the state topic from its start and mirrors the machines scored elsewhere. */
    public Deployable mirrorReader() {
        return new TopicFollower<>(settings, settings.topics().state(), "fleet-alerts", new ByteArrayDeserializer(),
                this::mirror);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
