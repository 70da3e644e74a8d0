package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.scheduler.Availability;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The whole fleet's availability as every instance of a cluster announced it: the availability topic read from
 * its start (compacted: every machine's latest status stays) on every partition, outside any group, and followed.
 * An instance serves the machines it does not own from here, so any instance's API lists the whole fleet. A record
 * that is not an availability CloudEvent is skipped and logged.
 */
public final class FleetView extends VerticleBase implements Function<String, Availability> {
    private static final Logger LOG = LoggerFactory.getLogger(FleetView.class);
    private final KafkaSettings settings;
    private final Map<String, Availability> latest = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, CloudEvent> consumer;
    private Thread reader;

    public FleetView(KafkaSettings settings) {
        this.settings = settings;
    }

    /** The machine's latest availability as its owner announced it, or null when none has been read. */
    @Override
    public Availability apply(String machineId) {
        return latest.get(machineId);
    }

    @Override
    public Future<?> start() {
        reader = new Thread(this::run, "vigil-kafka-fleet-view");
        reader.setDaemon(true);
        reader.start();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        KafkaConsumer<String, CloudEvent> c = consumer;
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
        p.put("client.id", settings.instance() + "-fleet-view");
        KafkaConsumer<String, CloudEvent> c;
        try {
            c = new KafkaConsumer<>(p, new StringDeserializer(), new CloudEventDeserializer());
            String topic = settings.topics().availability();
            List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
        } catch (Exception | Error e) {
            LOG.error("kafka: cannot read the fleet's availability: {}", e.toString(), e);
            return;
        }
        consumer = c;
        try {
            while (!stopping) {
                for (ConsumerRecord<String, CloudEvent> r : c.poll(Duration.ofMillis(500))) {
                    take(r);
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("kafka: fleet view woken up while running", e);
            }
        } catch (Exception | Error e) {
            LOG.error("kafka: fleet view stopped: {}", e.toString(), e);
        } finally {
            c.close(Duration.ofSeconds(10));
        }
    }

    private void take(ConsumerRecord<String, CloudEvent> r) {
        CloudEvent e = r.value();
        try {
            if (e == null || !SchedulerEvents.STATUS_CHANGED.equals(e.getType()) || e.getData() == null) {
                throw new IllegalArgumentException("not a " + SchedulerEvents.STATUS_CHANGED + " CloudEvent");
            }
            Availability a = SchedulerEvents.availabilityOf(new JsonObject(new String(e.getData().toBytes(),
                    StandardCharsets.UTF_8)));
            // a partition holds a machine's changes in the order they were made: the last read is the latest
            latest.put(a.machineId(), a);
        } catch (RuntimeException bad) {
            LOG.warn("kafka: skipped {}-{}@{} of the availability topic: {}", r.topic(), r.partition(), r.offset(),
                    bad.getMessage());
        }
    }
}
