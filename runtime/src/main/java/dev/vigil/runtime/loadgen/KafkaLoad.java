package dev.vigil.runtime.loadgen;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateways of a Kafka-fed cluster: N simulated CNC spindles publish their frames to the frames topic, keyed by
 * machine, in real time (every 100 ms the next 0.1 s of every channel, stamped with the current time), as
 * {@link LoadGenerator} streams them over WebSocket. Kafka answers the gateways nothing about scoring: the latency
 * is measured in the service ({@code vigil.window.latency}).
 */
public final class KafkaLoad {
    private final int batchBytes;

    /**
     * @param batchBytes the gateways' producer batch size: Kafka's default of 16 kB holds one or two frames of a
     *                   vibration channel, so every frame goes in a request of its own (measured: p99 350-450 ms
     *                   through a broker on the same two cores, against 50-90 ms with 256 kB; docs/PERFORMANCE.md)
     */
    public KafkaLoad(int batchBytes) {
        this.batchBytes = batchBytes;
    }

    /** @param samplesSent samples the brokers acknowledged, @param behindSeconds how far the senders fell behind */
    public record Result(long samplesSent, double seconds, double behindSeconds) {
        public double samplesPerSecond() {
            return samplesSent / seconds;
        }
    }

    /**
     * @param topic the frames topic
     * @param startMillis when the stream's first 0.1 s ends (a whole second ahead: every instance has joined by then)
     */
    public Result run(String bootstrap, String topic, String prefix, int machines, int seconds, int faultyEvery,
                      long startMillis, List<Frame> healthy, List<Frame> faulty) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Object> props = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none", ProducerConfig.CLIENT_ID_CONFIG, "loadgen-gateways"));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props,
                new StringSerializer(), new ByteArraySerializer())) {
            // the topic's metadata before the clock starts: a first send waits for it (measured: 1 s of latency in
            // the first windows of a run, which a gateway running for days never has)
            producer.partitionsFor(topic);
            long recordingStart = healthy.get(0).startNanos();
            int channels = (int) healthy.stream().map(Frame::channel).distinct().count();
            int ticks = Math.min(seconds * 10, healthy.size() / channels);
            long startNanos = System.nanoTime() + (startMillis - System.currentTimeMillis()) * 1_000_000L;
            long behind = 0;
            for (int tick = 0; tick < ticks; tick++) {
                long due = startNanos + (tick + 1) * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                behind = Math.max(0, System.nanoTime() - due);
                for (int i = 0; i < machines; i++) {
                    boolean bad = faultyEvery > 0 && i % faultyEvery == faultyEvery - 1;
                    List<Frame> src = bad ? faulty : healthy;
                    String machine = prefix + "-" + i;
                    for (int c = 0; c < channels; c++) {
                        Frame f = src.get(tick * channels + c);
                        long start = startMillis * 1_000_000L + (f.startNanos() - recordingStart);
                        int n = f.samples().length;
                        producer.send(new ProducerRecord<>(topic, machine, FrameCodec.encode(new Frame(machine,
                                f.channel(), start, f.sampleRateHz(), f.samples()))), (meta, e) -> {
                            if (e == null) {
                                acked.addAndGet(n);
                            } else {
                                failed.incrementAndGet();
                            }
                        });
                    }
                }
            }
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " frames were not acknowledged by the brokers");
            }
            producer.close(Duration.ofSeconds(30));
            return new Result(acked.get(), elapsed, behind / 1e9);
        }
    }
}
