package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.scheduler.Availability;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole fleet's availability as every instance of a cluster announced it: the availability topic read from
 * its start (compacted: every machine's latest status stays) on every partition, outside any group, and followed.
 * An instance serves the machines it does not own from here, so any instance's API lists the whole fleet. A record
 * that is not an availability CloudEvent is skipped and logged.
 */
public final class FleetView implements Function<String, Availability> {
    private static final Logger LOG = LoggerFactory.getLogger(FleetView.class);
    private final Map<String, Availability> latest = new ConcurrentHashMap<>();
    private final TopicFollower<CloudEvent> reader;
    /** Who hears of each change read (the instance's own event log), set before the reader is deployed. */
    private volatile Consumer<Change> changes = c -> { };

    /**
     * A change as read from the topic.
     *
     * @param eventId the CloudEvent's id
     * @param at the CloudEvent's time (the change's)
     * @param body the availability JSON as published
     */
    public record Change(Availability availability, String eventId, Instant at, String body) {
    }

    public FleetView(KafkaSettings settings) {
        this.reader = new TopicFollower<>(settings, settings.topics().availability(), "fleet-view",
                new CloudEventDeserializer(), this::take);
    }

    /** Tells {@code listener} of every change read from here on (on the reader's thread: it may block). */
    public void onChange(Consumer<Change> listener) {
        this.changes = listener;
    }

    /** What reads the topic: deploy it with the service's other parts. */
    public Deployable reader() {
        return reader;
    }

    /** The machine's latest availability as its owner announced it, or null when none has been read. */
    @Override
    public Availability apply(String machineId) {
        return latest.get(machineId);
    }

    private void take(ConsumerRecord<String, CloudEvent> r) {
        CloudEvent e = r.value();
        try {
            if (e == null || !SchedulerEvents.STATUS_CHANGED.equals(e.getType()) || e.getData() == null) {
                throw new IllegalArgumentException("not a " + SchedulerEvents.STATUS_CHANGED + " CloudEvent");
            }
            String body = new String(e.getData().toBytes(), StandardCharsets.UTF_8);
            Availability a = SchedulerEvents.availabilityOf(new JsonObject(body));
            // a partition holds a machine's changes in the order they were made: the last read is the latest
            latest.put(a.machineId(), a);
            changes.accept(new Change(a, e.getId(), e.getTime() != null ? e.getTime().toInstant()
                    : Instant.ofEpochMilli(r.timestamp()), body));
        } catch (RuntimeException bad) {
            LOG.warn("kafka: skipped {}-{}@{} of the availability topic: {}", r.topic(), r.partition(), r.offset(),
                    bad.getMessage());
        }
    }
}
