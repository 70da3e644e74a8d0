package dev.vigil.runtime.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

/**
 * The records of the consumer's partitions on their way through scoring: in order per machine, in parallel across
 * machines, and without the consumer waiting for a whole batch. (Waiting for the batch made every window wait for
 * the slowest machine of its batch, one storing an alert with a synchronous disk write, say: measured, p99 of
 * seconds at 200 spindles where the WebSocket path had 66 ms, docs/PERFORMANCE.md.) Tracks per partition which
 * offsets are still being scored, so that only offsets below all of them are committed, and which record failed
 * for an internal reason, so that the partition is read again from there: the machine whose record failed takes
 * nothing more until that record comes again, and the others take what they had again as repeats. Thread-safe:
 * the consumer's thread submits and asks; the pool's threads complete.
 */
final class Pipeline {
    /** One step of a machine's work: scoring a frame, applying a command. Throws for an internal failure only. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final ExecutorService pool;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Per partition, the offsets submitted and not done yet. */
    private final Map<TopicPartition, TreeSet<Long>> pending = new HashMap<>();
    /** Per partition, the offset after the last one taken (submitted or passed over). */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Per partition, the earliest record that failed for an internal reason, and when (System.nanoTime). */
    private final Map<TopicPartition, long[]> failed = new HashMap<>();
    private int inFlight;

    Pipeline(ExecutorService pool) {
        this.pool = pool;
    }

    private record Item(TopicPartition partition, long offset, Step step) {
    }

    /** A machine's queue; one pool task drains it at a time. */
    private final class Lane {
        final ArrayDeque<Item> waiting = new ArrayDeque<>();
        boolean running;
        /** Set after an internal failure: items are dropped until the failed record comes again. */
        Item failedAt;
    }

    /** Queues a machine's step for a record; it runs after the machine's earlier steps. */
    synchronized void submit(String machineId, TopicPartition partition, long offset, Step step) {
        take(partition, offset);
        pending.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        inFlight++;
        Lane lane = lanes.computeIfAbsent(machineId, m -> new Lane());
        lane.waiting.add(new Item(partition, offset, step));
        if (!lane.running) {
            lane.running = true;
            pool.execute(() -> drain(lane));
        }
    }

    /** A record passed over without work (refused before scoring): its offset may be committed. */
    synchronized void passed(TopicPartition partition, long offset) {
        take(partition, offset);
    }

    private void take(TopicPartition partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    private void drain(Lane lane) {
        while (true) {
            List<Item> batch;
            synchronized (this) {
                if (lane.waiting.isEmpty()) {
                    lane.running = false;
                    return;
                }
                batch = new ArrayList<>(lane.waiting);
                lane.waiting.clear();
            }
            for (Item item : batch) {
                synchronized (this) {
                    if (lane.failedAt != null) {
                        if (!item.partition().equals(lane.failedAt.partition())
                                || item.offset() != lane.failedAt.offset()) {
                            done(item);
                            continue;
                        }
                        lane.failedAt = null;
                    }
                }
                try {
                    item.step().run();
                    synchronized (this) {
                        done(item);
                    }
                } catch (Exception e) {
                    synchronized (this) {
                        lane.failedAt = item;
                        done(item);
                        failed.merge(item.partition(), new long[]{item.offset(), System.nanoTime()},
                                (a, b) -> a[0] <= b[0] ? a : b);
                        // nothing from here on is committed before the record is read again
                        next.merge(item.partition(), item.offset(), Math::min);
                    }
                }
            }
        }
    }

    private void done(Item item) {
        TreeSet<Long> p = pending.get(item.partition());
        if (p != null && p.remove(item.offset())) {
            inFlight--;
            notifyAll();
        }
    }

    /** Records submitted and not done. */
    synchronized int inFlight() {
        return inFlight;
    }

    /**
     * Per partition, the offset to commit: below every record still being scored and every failed one. Only the
     * partitions that moved since {@code last} are in it.
     */
    synchronized Map<TopicPartition, Long> committable(Map<TopicPartition, Long> last) {
        Map<TopicPartition, Long> out = new HashMap<>();
        next.forEach((tp, n) -> {
            TreeSet<Long> p = pending.get(tp);
            long at = p == null || p.isEmpty() ? n : Math.min(n, p.first());
            long[] f = failed.get(tp);
            if (f != null) {
                at = Math.min(at, f[0]);
            }
            if (!Long.valueOf(at).equals(last.get(tp))) {
                out.put(tp, at);
            }
        });
        return out;
    }

    /**
     * The partitions to read again, each from its failed record, once {@code after} passed since the failure; they
     * are forgotten here (what was in flight after that record completes as a repeat or is dropped).
     */
    synchronized Map<TopicPartition, Long> retries(Duration after) {
        Map<TopicPartition, Long> out = new HashMap<>();
        long now = System.nanoTime();
        failed.entrySet().removeIf(e -> {
            if (now - e.getValue()[1] < after.toNanos()) {
                return false;
            }
            out.put(e.getKey(), e.getValue()[0]);
            return true;
        });
        out.forEach((tp, offset) -> {
            TreeSet<Long> p = pending.get(tp);
            if (p != null) {
                int before = p.size();
                p.tailSet(offset, true).clear();
                inFlight -= before - p.size();
            }
            next.put(tp, offset);
        });
        return out;
    }

    /** Waits until nothing of these partitions is being scored (partitions moving away); false on time-out. */
    synchronized boolean awaitDone(Collection<TopicPartition> partitions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!partitions.stream().allMatch(tp -> pending.getOrDefault(tp, EMPTY).isEmpty())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // done() wakes it
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private static final TreeSet<Long> EMPTY = new TreeSet<>();

    /** Forgets partitions that moved to another instance (after their offsets were committed). */
    synchronized void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TreeSet<Long> p = pending.remove(tp);
            if (p != null) {
                inFlight -= p.size();
            }
            next.remove(tp);
            failed.remove(tp);
        }
        lanes.values().forEach(l -> {
            if (l.failedAt != null && partitions.contains(l.failedAt.partition())) {
                l.failedAt = null;
            }
        });
    }
}
