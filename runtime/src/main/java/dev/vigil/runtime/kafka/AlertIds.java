package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Alert ids unique across a cluster, so that an alert keeps its id when its machine moves to another instance: each
 * start of an instance claims a block of ids by writing one record ({@value #KEY}) to partition 0 of the state
 * topic, and the offset the brokers give it, never given twice, numbers the block. An id is the block times 2^29
 * plus a count from 1: below 2^53, exact in JavaScript clients, for 2^24 starts (16 million; the partition's
 * offsets grow with the state written there too, about one record per alert change of its machines) of up to half
 * a billion alerts each. Thread-safe.
 */
public final class AlertIds implements LongSupplier {
    /** The state topic's key of the claims: not a machine id (those never start with '@'). */
    static final String KEY = "@alert-ids";
    private static final int COUNT_BITS = 29;
    private static final long MAX_BLOCK = 1L << 24;
    private final long base;
    private final AtomicLong count = new AtomicLong();

    AlertIds(long block) {
        if (block < 0 || block >= MAX_BLOCK) {
            throw new IllegalStateException("alert id block " + block + " is outside 0.." + (MAX_BLOCK - 1)
                    + ": the state topic's partition 0 has had more records than alert ids can number");
        }
        this.base = block << COUNT_BITS;
    }

    /** Claims this start's block (blocking: at start, before the store opens). */
    public static AlertIds claim(KafkaSettings settings, Duration timeout) throws Exception {
        Map<String, Object> p = settings.producerProperties("alert-ids");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            long offset = producer.send(new ProducerRecord<>(settings.topics().state(), 0, KEY,
                    settings.instance().getBytes(StandardCharsets.UTF_8))).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS).offset();
            // offset 0 would make block 0: ids from 1, like a single box's; any block is as good as another
            return new AlertIds(offset + 1);
        }
    }

    /** The block this start claimed. */
    public long block() {
        return base >>> COUNT_BITS;
    }

    @Override
    public long getAsLong() {
        long n = count.incrementAndGet();
        if (n >= 1L << COUNT_BITS) {
            throw new IllegalStateException("this start of the instance has used its " + ((1L << COUNT_BITS) - 1)
                    + " alert ids: restart it to claim another block");
        }
        return base + n;
    }
}
