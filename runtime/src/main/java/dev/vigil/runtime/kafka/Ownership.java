package dev.vigil.runtime.kafka;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
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
 */
public final class Ownership implements Predicate<String> {
    private final Map<String, Integer> partitionOf = new ConcurrentHashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();

    /** Whether this instance scores {@code machineId} now. */
    @Override
    public boolean test(String machineId) {
        Integer p = partitionOf.get(machineId);
        return p != null && assigned.contains(p);
    }

    /** The partition the machine's frames come on, or null before one was seen. */
    Integer partitionOf(String machineId) {
        return partitionOf.get(machineId);
    }

    void seen(String machineId, int partition) {
        partitionOf.put(machineId, partition);
    }

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> assigned.add(p.partition()));
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> assigned.remove(p.partition()));
    }
}
