package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.ingest.FrameScoring;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames from the cluster's frames topic (keyed by machine id, value a binary frame v1, docs/PROTOCOL.md) through
 * the consumer group every instance joins: Kafka gives each instance a share of the partitions, so each machine is
 * scored by one instance at a time, in the order its frames were published. At least once: a batch's offsets are
 * committed only after its frames are scored and their alert changes stored; a frame that failed for a reason of
 * Vigil's own (the store could not commit) is read again, and with it the later frames of its partition, which the
 * machine takes as repeats. Refused frames (malformed, an unknown machine, a key that is not the frame's machine, not
 * fitting the stream) are counted, logged and passed over, as on MQTT.
 *
 * <p>The consumer is not thread-safe: one thread of its own polls and commits; a batch's machines are scored in
 * parallel on a small pool, each machine's frames in order.
 */
public final class KafkaIngest extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
    /** How long a partition whose frame failed for an internal reason waits before it is read again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private final KafkaSettings settings;
    private final Ownership ownership;
    private final Map<String, MachineStream> machines;
    private final FrameCodec codec;
    private final FrameScoring scoring;
    private final MachineStates states;
    private final KafkaCommands commands;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong scored = new AtomicLong();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean joined;
    private volatile boolean stopping;
    /** Made by the poller thread; the stopping thread only wakes it. */
    private volatile KafkaConsumer<String, byte[]> consumer;
    private ExecutorService pool;
    private Thread poller;

    /** @param ownership learns here which machines this instance owns (read by the watchdog and availability) */
    public KafkaIngest(KafkaSettings settings, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                       FrameScoring scoring, Ownership ownership, MachineStates states, KafkaCommands commands) {
        this.ownership = ownership;
        this.states = states;
        this.commands = commands;
        this.settings = settings;
        this.machines = Map.copyOf(machines);
        this.codec = new FrameCodec(maxSamplesPerFrame);
        this.scoring = scoring;
    }

    @Override
    public Future<?> start() {
        pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "vigil-kafka-scoring");
            t.setDaemon(true);
            return t;
        });
        // the consumer is made, used and closed on its own thread (it looks brokers up: not on the event loop)
        poller = new Thread(this::run, "vigil-kafka-ingest");
        poller.setDaemon(true);
        poller.start();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        return vertx.executeBlocking(() -> {
            poller.join(30_000);
            pool.shutdownNow();
            return null;
        });
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> p = new HashMap<>(settings.clientProperties());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.group());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new cluster scores what gateways published before it first started, as an old one does after a stop
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a killed instance's machines move once the group misses its heartbeats for this long (Kafka's 45 s
        // default would leave them unscored for most of a minute)
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1 << 20, codec.maxFrameBytes())));
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        // the commands topic too: co-partitioned, so the group's range assignment gives each instance the commands
        // for the machines whose frames it reads
        c.subscribe(List.of(settings.topics().frames(), settings.topics().commands()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> all) {
                List<TopicPartition> partitions = frames(all);
                // every batch is committed before the next poll: nothing of these partitions is half done; what the
                // watchdog or engineers changed since is handed on now, while the machines are still ours
                handOn();
                assigned.removeAll(partitions);
                ownership.revoked(partitions);
                LOG.info("kafka: partitions {} moved to another instance", partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> all) {
                List<TopicPartition> partitions = frames(all);
                // before the first frame of these partitions is scored: their machines as their last owner left them
                try {
                    List<String> taken = states.takeOver(partitions);
                    if (!taken.isEmpty()) {
                        LOG.info("kafka: took over the state of {} machines", taken.size());
                    }
                } catch (Exception e) {
                    LOG.error("kafka: could not take over the machines' state of {}: {}; they start from what this "
                            + "instance knows of them", partitions, e.toString());
                }
                assigned.addAll(partitions);
                ownership.assigned(partitions);
                joined = true;
                LOG.info("kafka: scoring the machines of partitions {}", partitions);
            }
        });
        return c;
    }

    private List<TopicPartition> frames(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(p -> p.topic().equals(settings.topics().frames())).toList();
    }

    /** Whether this instance has joined its group and been given partitions at least once (readiness). */
    public boolean joined() {
        return joined;
    }

    /** The frames topic's partitions this instance scores now. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** Frames refused (malformed, an unknown machine, a key that is not the frame's, not fitting the stream). */
    public long refused() {
        return refused.get();
    }

    /** Frames scored. */
    public long scored() {
        return scored.get();
    }

    private void run() {
        KafkaConsumer<String, byte[]> c;
        try {
            c = consumer();
        } catch (Exception | Error e) {
            LOG.error("kafka: cannot make the frames consumer: {}", e.toString(), e);
            return;
        }
        consumer = c;
        try {
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    process(c, records);
                } else {
                    // the watchdog's and engineers' changes, between batches
                    handOn();
                }
            }
            handOn();
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("kafka: woken up while running", e);
            }
        } catch (Exception | Error e) {
            LOG.error("kafka: frame ingest stopped: {}", e.toString(), e);
        } finally {
            c.close(Duration.ofSeconds(10));
            states.close();
        }
    }

    /** Hands on the changed machines' state; false (logged) when the brokers did not take it. */
    private boolean handOn() {
        try {
            states.handOn();
            return true;
        } catch (Exception e) {
            LOG.warn("kafka: machines' state not handed on ({}); tried again", e.toString());
            return false;
        }
    }

    /** One machine's frames of a batch, in order, with the record each came from. */
    private record Work(MachineStream machine, List<Frame> frames, List<ConsumerRecord<String, byte[]>> records) {
    }

    private void process(KafkaConsumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records)
            throws InterruptedException {
        Map<String, Work> byMachine = new LinkedHashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> actions = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
            next.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
            if (r.topic().equals(settings.topics().commands())) {
                actions.add(r);
                continue;
            }
            Frame frame = frame(r);
            if (frame != null) {
                ownership.seen(frame.machineId(), r.partition());
                byMachine.computeIfAbsent(frame.machineId(), m -> new Work(machines.get(m), new ArrayList<>(),
                        new ArrayList<>())).frames().add(frame);
                byMachine.get(frame.machineId()).records().add(r);
            }
        }
        List<java.util.concurrent.Future<ConsumerRecord<String, byte[]>>> done = new ArrayList<>();
        for (Work w : byMachine.values()) {
            done.add(pool.submit(() -> score(w)));
        }
        // the partitions where a frame failed are read again from that frame on
        Map<TopicPartition, Long> retry = new HashMap<>();
        for (java.util.concurrent.Future<ConsumerRecord<String, byte[]>> f : done) {
            ConsumerRecord<String, byte[]> failed;
            try {
                failed = f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (failed != null) {
                retry.merge(new TopicPartition(failed.topic(), failed.partition()), failed.offset(), Math::min);
            }
        }
        // engineers' actions handed on by other instances, in their order per machine
        for (ConsumerRecord<String, byte[]> r : actions) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (retry.containsKey(tp)) {
                continue;
            }
            try {
                commands.apply(r);
            } catch (SQLException e) {
                LOG.warn("kafka: command {}-{}@{} not applied ({}); read again", r.topic(), r.partition(), r.offset(),
                        e.toString());
                retry.put(tp, r.offset());
            }
        }
        if (!handOn()) {
            // nothing committed, nothing announced: the batch is read again (its frames are repeats to the streams
            // that took them) and its changes handed on with the next one
            first.forEach(consumer::seek);
            Thread.sleep(RETRY_AFTER.toMillis());
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        next.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(retry.getOrDefault(tp, offset))));
        consumer.commitSync(commit);
        if (!retry.isEmpty()) {
            retry.forEach(consumer::seek);
            Thread.sleep(RETRY_AFTER.toMillis());
        }
    }

    /** The record's frame, or null when it is refused (counted and logged). */
    private Frame frame(ConsumerRecord<String, byte[]> r) {
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        if (r.key() == null || !machines.containsKey(r.key())) {
            refuse(where + ": unknown machine '" + r.key() + "' (the record's key)");
            return null;
        }
        if (r.value() == null) {
            refuse(where + ": no frame (a null value)");
            return null;
        }
        try {
            Frame f = codec.decode(r.value());
            if (!f.machineId().equals(r.key())) {
                refuse(where + ": the frame is for machine " + f.machineId() + ", the key says " + r.key());
                return null;
            }
            return f;
        } catch (FrameException e) {
            refuse(where + ": " + e.getMessage());
            return null;
        }
    }

    /** Scores one machine's frames in order; returns the record of the frame that failed for an internal reason. */
    private ConsumerRecord<String, byte[]> score(Work w) {
        for (int i = 0; i < w.frames().size(); i++) {
            try {
                scoring.score(w.machine(), List.of(w.frames().get(i)), "kafka");
                scored.incrementAndGet();
            } catch (FrameException e) {
                ConsumerRecord<String, byte[]> r = w.records().get(i);
                refuse(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
            } catch (Exception e) {
                ConsumerRecord<String, byte[]> r = w.records().get(i);
                LOG.warn("kafka: frame {}-{}@{} of {} not scored ({}); read again", r.topic(), r.partition(),
                        r.offset(), w.machine().machineId(), e.toString());
                return r;
            }
        }
        return null;
    }

    private void refuse(String why) {
        refused.incrementAndGet();
        LOG.warn("kafka: refused {}", why);
    }
}
