package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.ingest.FrameForward;
import dev.vigil.runtime.stream.FrameCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP and WebSocket fronts of a cluster instance: the frames they take go to the frames topic, keyed by
 * machine (so to the instance that owns the machine, in order), as gateways publishing there directly would send
 * them. A frame is answered 202 only once the brokers acknowledged it (idempotent producer, all in-sync replicas):
 * a sender told 202 can forget the frame.
 */
public final class KafkaFrameForward implements FrameForward, AutoCloseable {
    /** A send the brokers do not acknowledge within this is answered 503 (the sender sends again). */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
    private final String topic;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaFrameForward(KafkaSettings settings, long maxFrameBytes) {
        this.topic = settings.topics().frames();
        Map<String, Object> p = settings.producerProperties("frames");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // Kafka's default 16 kB batch holds one or two frames of a vibration channel: every frame in a request of its
        // own cost the p99 window latency 5-8x on a 2-core box (docs/PERFORMANCE.md, "Through Kafka")
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, Math.max(1 << 20,
                maxFrameBytes + 1024)));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void forward(String machineId, List<Frame> frames) throws Exception {
        List<Future<?>> sent = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            sent.add(producer.send(new ProducerRecord<>(topic, machineId, FrameCodec.encode(f))));
        }
        for (Future<?> s : sent) {
            s.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public String destination() {
        return "kafka topic " + topic;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
