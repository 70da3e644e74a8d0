package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import dev.vigil.runtime.store.Outbox;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes the outbox's events for the cluster ({@link SchedulerEvents#KAFKA}) to the alerts and availability
 * topics as CloudEvents (the Kafka protocol binding, binary mode: {@code ce_*} headers, the JSON data as the value),
 * keyed by machine id. The outbox rows are written in the same transaction as the change they announce, so nothing
 * is published that did not happen; a row is marked delivered only once the brokers acknowledged it (idempotent
 * producer, all in-sync replicas), so nothing is lost when the instance dies: its rows are sent again when it
 * returns, and consumers tell a repeat by the event's id. Only the oldest pending event of a machine is out at any
 * time: per machine, the topics have the order of the changes.
 */
public final class KafkaEvents extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEvents.class);
    /** A send the brokers did not acknowledge is tried again this much later. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private final KafkaSettings settings;
    private final Outbox outbox;
    private final Clock clock;
    private final long tickMillis;
    private final Map<Long, Boolean> inFlight = new ConcurrentHashMap<>();
    private KafkaProducer<String, CloudEvent> producer;
    private boolean busy;

    public KafkaEvents(KafkaSettings settings, Outbox outbox, Clock clock, long tickMillis) {
        this.settings = settings;
        this.outbox = outbox;
        this.clock = clock;
        this.tickMillis = tickMillis;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            producer = new KafkaProducer<>(settings.producerProperties("events"), new StringSerializer(),
                    new CloudEventSerializer());
            return null;
        }).onSuccess(v -> vertx.setPeriodic(tickMillis, t -> tick()));
    }

    @Override
    public Future<?> stop() {
        KafkaProducer<String, CloudEvent> p = producer;
        return p == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            p.close(Duration.ofSeconds(10));
            return null;
        });
    }

    /** The topic a stored event goes to: availability changes to one, alert changes to the other. */
    String topic(String type) {
        return SchedulerEvents.STATUS_CHANGED.equals(type) ? settings.topics().availability() : settings.topics().alerts();
    }

    private void tick() {
        if (busy) {
            return;
        }
        busy = true;
        vertx.executeBlocking(() -> outbox.due(SchedulerEvents.KAFKA, clock.instant()), false).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                LOG.warn("kafka: reading the outbox failed: {}", ar.cause().toString());
                return;
            }
            for (Outbox.Entry e : ar.result()) {
                if (inFlight.putIfAbsent(e.id(), true) == null) {
                    send(e);
                }
            }
        });
    }

    private void send(Outbox.Entry e) {
        CloudEvent event;
        try {
            event = SchedulerEvents.event(e.body());
        } catch (RuntimeException bad) {
            // the outbox holds only events this service made: a row that does not parse is given up, loudly
            LOG.error("kafka: outbox message {} is no CloudEvent ({}); given up", e.id(), bad.toString());
            settle(e, bad.toString(), true);
            return;
        }
        producer.send(new ProducerRecord<>(topic(e.type()), e.machineId(), event), (meta, failure) -> {
            if (failure == null) {
                vertx.executeBlocking(() -> {
                    outbox.delivered(e.id(), clock.instant());
                    return null;
                }, false).onComplete(done -> {
                    inFlight.remove(e.id());
                    if (done.failed()) {
                        LOG.warn("kafka: event {} published, not marked (sent again): {}", e.eventId(), done.cause().toString());
                    }
                });
            } else {
                LOG.warn("kafka: event {} for {} not published: {}; retrying", e.eventId(), e.machineId(), failure.toString());
                settle(e, failure.toString(), false);
            }
        });
    }

    private void settle(Outbox.Entry e, String error, boolean dead) {
        vertx.executeBlocking(() -> {
            outbox.failed(e.id(), error, clock.instant().plus(RETRY_AFTER), dead);
            return null;
        }, false).onComplete(done -> inFlight.remove(e.id()));
    }

    /** The events handed out and not yet settled (for tests and metrics). */
    public List<Long> inFlight() {
        return List.copyOf(inFlight.keySet());
    }
}
