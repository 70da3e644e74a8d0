package dev.vigil.runtime.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which machines this instance of a cluster scores now: those whose frames come on a partition the group has given
 * it. Learnt from the frames themselves (the partition a machine's records arrive on), not from a hash of its id:
 * gateways may use any partitioner that keeps a key on one partition (Java clients hash with murmur2, librdkafka
 * with CRC32). The stale-data watchdog and availability judge only the machines owned here: a machine that moved
 * to another instance is silent here, and that is no news. Thread-safe: the consumer's thread writes, the periodic
 * tasks read.
 *
 * <p>A machine taken over from another instance is judged here only from its first frame here on (or once
 * {@code grace} passed without one): until then the instance knows of it only what its last owner handed on, and
 * would call it offline for want of data it never had the time to receive; the fleet view has what the last owner
 * announced.
 */
public final class Ownership implements Predicate<String> {
    private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    /** Machines taken over with no frame here since, and when (System.nanoTime). */
    private final Map<String, Long> awaiting = new ConcurrentHashMap<>();
    private final long graceNanos;

    /** @param grace how long a machine taken over may send nothing here before it is judged anyway (staleness) */
    public Ownership(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** Whether this instance judges {@code machineId} now (staleness, availability). */
    @Override
    public boolean test(String machineId) {
        if (!scores(machineId)) {
            return false;
        }
        Long since = awaiting.get(machineId);
        if (since != null && System.nanoTime() - since > graceNanos) {
            awaiting.remove(machineId, since);
            return true;
        }
        return since == null;
    }

    /** Whether this instance scores {@code machineId} now: its frames come on a partition given to this instance. */
    public boolean scores(String machineId) {
        Integer p = partitionOf.get(machineId);
        return p != null && assigned.contains(p);
    }

    /** The machines known to come on these partitions. */
    List<String> machinesOn(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new java.util.HashSet<>();
        partitions.forEach(p -> numbers.add(p.partition()));
        return partitionOf.entrySet().stream().filter(e -> numbers.contains(e.getValue())).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** The partition the machine's frames come on, or null before one was seen. */
    Integer partitionOf(String machineId) {
        return partitionOf.get(machineId);
    }

    void seen(String machineId, int partition) {
        partitionOf.put(machineId, partition);
        awaiting.remove(machineId);
    }

    /** Where the machine's frames go, as another instance's state record says (a machine never scored here). */
    void located(String machineId, int partition) {
        partitionOf.putIfAbsent(machineId, partition);
    }

    /** The machine was taken over on this partition; judged once its first frame here is scored. */
    void takenOver(String machineId, int partition) {
        partitionOf.put(machineId, partition);
        awaiting.put(machineId, System.nanoTime());
    }

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> assigned.add(p.partition()));
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> assigned.remove(p.partition()));
    }
}
