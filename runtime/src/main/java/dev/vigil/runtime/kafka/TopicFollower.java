package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads one topic from its start, on every partition and outside any group, and follows it, handing each record to
 * {@code take} on a thread of its own (the consumer blocks; never the event loop). What every instance of a cluster
 * reads whole: the fleet's availability, the machines' state. A record its deserializer cannot read is logged
 * and passed over; the records after it are read as usual.
 */
final class TopicFollower<V> extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private final KafkaSettings settings;
    private final String topic;
    private final String name;
    private final Deserializer<V> values;
    private final Consumer<ConsumerRecord<String, V>> take;
    /** Whether starting waits until the topic is read to the end it had (what must be known before scoring). */
    private final boolean startAtEnd;
    private final io.vertx.core.Promise<Void> atEnd = io.vertx.core.Promise.promise();
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, V> consumer;
    private Thread reader;

    /** @param name what it is for (its thread's and client's name) */
    TopicFollower(KafkaSettings settings, String topic, String name, Deserializer<V> values,
                  Consumer<ConsumerRecord<String, V>> take) {
        this(settings, topic, name, values, take, false);
    }

    /** @param startAtEnd whether {@link #start} completes only once the records there were at start are taken */
    TopicFollower(KafkaSettings settings, String topic, String name, Deserializer<V> values,
                  Consumer<ConsumerRecord<String, V>> take, boolean startAtEnd) {
        this.startAtEnd = startAtEnd;
        this.settings = settings;
        this.topic = topic;
        this.name = name;
        this.values = values;
        this.take = take;
    }

    @Override
    public Future<?> start() {
        reader = new Thread(this::run, "vigil-kafka-" + name);
        reader.setDaemon(true);
        reader.start();
        return startAtEnd ? atEnd.future() : Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        KafkaConsumer<String, V> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        return vertx.executeBlocking(() -> {
            reader.join(30_000);
            return null;
        });
    }

    private void run() {
        Map<String, Object> p = new HashMap<>(settings.clientProperties());
        p.put("client.id", settings.instance() + "-" + name);
        KafkaConsumer<String, V> c;
        Map<TopicPartition, Long> ends;
        try {
            c = new KafkaConsumer<>(p, new StringDeserializer(), values);
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            ends = new HashMap<>(c.endOffsets(partitions, Duration.ofSeconds(60)));
        } catch (Exception | Error e) {
            LOG.error("kafka: cannot read {} ({}): {}", topic, name, e.toString(), e);
            atEnd.tryFail(new IllegalStateException("kafka: cannot read topic " + topic + ": " + e.getMessage(), e));
            return;
        }
        consumer = c;
        try {
            while (!stopping) {
                try {
                    for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(500))) {
                        take.accept(r);
                    }
                } catch (RecordDeserializationException bad) {
                    // a record the deserializer cannot read (anyone who may write the topic can put one there):
                    // the consumer stays at it until it is passed over, so pass it over, once, and say where
                    LOG.warn("kafka: skipped {}@{} ({}): {}", bad.topicPartition(), bad.offset(), name,
                            bad.getCause() != null ? bad.getCause().getMessage() : bad.getMessage());
                    c.seek(bad.topicPartition(), bad.offset() + 1);
                }
                if (!ends.isEmpty()) {
                    ends.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                }
                if (ends.isEmpty()) {
                    atEnd.tryComplete();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("kafka: {} woken up while running", name, e);
            }
        } catch (Exception | Error e) {
            LOG.error("kafka: {} stopped: {}", name, e.toString(), e);
        } finally {
            atEnd.tryFail("kafka: stopped before " + topic + " was read to its end");
            c.close(Duration.ofSeconds(10));
        }
    }
}
