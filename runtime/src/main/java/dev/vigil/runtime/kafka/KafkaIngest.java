package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.ingest.FrameScoring;
import dev.vigil.runtime.ops.Metrics;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames from the cluster's frames topic (keyed by machine id, value a binary frame v1, docs/PROTOCOL.md) through
 * the consumer group every instance joins: Kafka gives each instance a share of the partitions, so each machine is
 * scored by one instance at a time, in the order its frames were published. At least once: an offset is committed
 * only after the frames before it are scored and the state of their alert changes handed on ({@link MachineStates});
 * a frame that failed for a reason of Vigil's own (the store could not commit) is read again a second later, with
 * the later frames of its partition, which the other machines take as repeats. Refused frames (malformed, an
 * unknown machine, a key that is not the frame's machine, not fitting the stream) are counted, logged and passed
 * over, as on MQTT. Engineers' actions handed on by other instances come on the commands topic, in the same group.
 *
 * <p>The consumer is not thread-safe: one thread of its own polls, hands each record to its machine's lane
 * ({@link Pipeline}: in order per machine, in parallel across machines, never waiting for a whole batch) and
 * commits every 100 ms.
 */
public final class KafkaIngest extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngest.class);
    /** How long a partition whose frame failed for an internal reason waits before it is read again. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** How often what is scored is committed (and changes handed on); a poll waits at most this long. */
    private static final Duration COMMIT_EVERY = Duration.ofMillis(100);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Records read and not scored yet, at most: beyond it the consumer pauses (about 50 MB of frames). */
    private static final int MAX_IN_FLIGHT = 5_000;
    private final Metrics metrics;
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
    private Pipeline pipeline;
    /** The offsets last committed (the consumer's thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** The frames partitions taken back by the last rebalance (the consumer's thread only). */
    private List<TopicPartition> revoked = List.of();
    private Thread poller;

    /** @param ownership learns here which machines this instance owns (read by the watchdog and availability) */
    public KafkaIngest(KafkaSettings settings, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                       FrameScoring scoring, Ownership ownership, MachineStates states, KafkaCommands commands,
                       Metrics metrics) {
        this.metrics = metrics;
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
        pipeline = new Pipeline(pool);
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
                // what is being scored of these partitions is finished, its changes handed on and its offsets
                // committed, while the machines are still ours
                try {
                    if (!pipeline.awaitDone(all, Duration.ofSeconds(30))) {
                        LOG.warn("kafka: partitions {} moved while frames were being scored; the next owner scores them "
                                + "again", all);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                KafkaConsumer<String, byte[]> c = consumer;
                if (c != null) {
                    commit(c);
                }
                pipeline.forget(all);
                committed.keySet().removeAll(all);
                revoked = List.copyOf(partitions);
                assigned.removeAll(partitions);
                ownership.revoked(partitions);
                LOG.info("kafka: partitions {} moved to another instance", partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> all) {
                List<TopicPartition> partitions = frames(all);
                // the machines of partitions that went elsewhere (the group takes every partition back at a
                // rebalance and gives most of them again): the samples held for their open windows go
                List<TopicPartition> gone = new ArrayList<>(revoked);
                gone.removeAll(partitions);
                revoked = List.of();
                ownership.machinesOn(gone).forEach(m -> {
                    MachineStream s = machines.get(m);
                    if (s != null) {
                        s.release();
                    }
                });
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
        long lastCommit = System.nanoTime();
        try {
            while (!stopping) {
                pipeline.retries(RETRY_AFTER).forEach((tp, offset) -> {
                    if (c.assignment().contains(tp)) {
                        LOG.info("kafka: reading {} again from {}", tp, offset);
                        c.seek(tp, offset);
                    }
                });
                submit(c.poll(POLL));
                // back-pressure: a backlog waits in the brokers, not in this heap
                if (pipeline.inFlight() > MAX_IN_FLIGHT) {
                    c.pause(c.assignment());
                } else if (!c.paused().isEmpty()) {
                    c.resume(c.paused());
                }
                if (System.nanoTime() - lastCommit > COMMIT_EVERY.toNanos()) {
                    commit(c);
                    lastCommit = System.nanoTime();
                }
            }
            if (!pipeline.awaitDone(c.assignment(), Duration.ofSeconds(30))) {
                LOG.warn("kafka: stopping with frames still being scored; they are read again by the next owner");
            }
            commit(c);
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

    /**
     * Commits what is scored: the offsets below every frame still being scored are taken first, then the state of
     * every change made so far is handed on (it includes those frames' changes), and only then are they committed.
     * Also hands on what the watchdog and engineers changed. The consumer's thread only.
     */
    private void commit(KafkaConsumer<String, byte[]> c) {
        Map<TopicPartition, Long> due = pipeline.committable(committed);
        if (!handOn()) {
            return;
        }
        due.keySet().retainAll(c.assignment());
        if (due.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        due.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            c.commitSync(offsets);
            committed.putAll(due);
        } catch (WakeupException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("kafka: offsets not committed ({}); tried again", e.toString());
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

    /** Each record to its machine's lane: a frame to be scored, an engineer's action to be applied. */
    private void submit(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.topic().equals(settings.topics().commands())) {
                if (r.key() == null) {
                    LOG.warn("kafka: command {}-{}@{} has no key; passed over", r.topic(), r.partition(), r.offset());
                    pipeline.passed(tp, r.offset());
                } else {
                    // in the machine's lane: after the frames read before it, as its owner's API would apply it
                    pipeline.submit(r.key(), tp, r.offset(), () -> commands.apply(r));
                }
                continue;
            }
            if (r.timestamp() > 0) {
                metrics.recordAge(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - r.timestamp())));
            }
            Frame frame = frame(r);
            if (frame == null) {
                pipeline.passed(tp, r.offset());
                continue;
            }
            ownership.seen(frame.machineId(), r.partition());
            MachineStream machine = machines.get(frame.machineId());
            pipeline.submit(frame.machineId(), tp, r.offset(), () -> score(machine, frame, r));
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

    /** Scores one frame; a refused one is counted and passed over, an internal failure thrown (read again). */
    private void score(MachineStream machine, Frame frame, ConsumerRecord<String, byte[]> r) throws Exception {
        try {
            scoring.score(machine, List.of(frame), "kafka");
            scored.incrementAndGet();
        } catch (FrameException e) {
            refuse(r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
        } catch (Exception e) {
            LOG.warn("kafka: frame {}-{}@{} of {} not scored ({}); read again", r.topic(), r.partition(), r.offset(),
                    machine.machineId(), e.toString());
            throw e;
        }
    }

    private void refuse(String why) {
        refused.incrementAndGet();
        LOG.warn("kafka: refused {}", why);
    }
}
