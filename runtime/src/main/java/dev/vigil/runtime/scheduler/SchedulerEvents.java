package dev.vigil.runtime.scheduler;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.AlertJson;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.config.WebhookEndpoint;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The events schedulers receive (docs/SCHEDULER.md), as CloudEvents 1.0 in structured JSON mode, and which
 * endpoint gets which: an endpoint scoped to tenants only hears of their machines. Alert events carry a summary
 * (no signals, no features).
 */
public final class SchedulerEvents {
    public static final String STATUS_CHANGED = "vigil.machine.status.changed";
    public static final String ALERT_RAISED = "vigil.alert.raised";
    public static final String ALERT_UPDATED = "vigil.alert.updated";
    public static final String ALERT_RESOLVED = "vigil.alert.resolved";

    private static final EventFormat FORMAT = new JsonFormat();
    private final URI source;
    /** The outbox destination of events for the cluster's Kafka topics (no webhook name starts with '@'). */
    public static final String KAFKA = "@kafka";
    private final boolean toKafka;
    private final List<WebhookEndpoint> endpoints;
    private final Map<String, String> tenants;
    private final AlertJson alerts;

    public SchedulerEvents(String site, List<WebhookEndpoint> endpoints, Map<String, String> tenantByMachine) {
        this(site, endpoints, tenantByMachine, false);
    }

    /**
     * @param toKafka whether every event also goes to the cluster's Kafka topics (outbox destination
     *                {@value #KAFKA}), whatever the tenant: the topics carry the whole fleet
     */
    public SchedulerEvents(String site, List<WebhookEndpoint> endpoints, Map<String, String> tenantByMachine,
                           boolean toKafka) {
        this.toKafka = toKafka;
        this.source = URI.create("urn:vigil:" + site);
        this.endpoints = List.copyOf(endpoints);
        this.tenants = Map.copyOf(tenantByMachine);
        // the summary the API gives schedulers, so a webhook and GET /alerts never disagree on what is shown
        this.alerts = new AlertJson(tenantByMachine, Duration.ZERO);
    }

    public List<WebhookEndpoint> endpoints() {
        return endpoints;
    }

    /** A machine's availability as schedulers see it (the API's and the webhooks'). */
    public static JsonObject availabilityJson(Availability a) {
        JsonObject o = new JsonObject().put("machine", a.machineId()).put("tenant", a.tenant()).put("status", a.status().id())
                .put("reason", a.reason()).put("since", a.since().toString()).put("risk", a.risk());
        if (a.alertId() != 0) {
            o.put("alert", a.alertId());
        }
        if (a.forecast() != null) {
            Availability.Forecast f = a.forecast();
            JsonObject fj = new JsonObject().put("hoursToCritical", f.hours()).put("basedOnMinutes", f.basedOnMinutes());
            if (Double.isFinite(f.lowHours())) {
                fj.put("lowHours", f.lowHours());
            }
            if (Double.isFinite(f.highHours())) {
                fj.put("highHours", f.highHours());
            }
            o.put("forecast", fj);
        }
        return o;
    }

    /**
     * The availability {@link #availabilityJson} wrote (as another instance of a cluster published it).
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Availability availabilityOf(JsonObject o) {
        try {
            Availability.Forecast forecast = null;
            JsonObject f = o.getJsonObject("forecast");
            if (f != null) {
                forecast = new Availability.Forecast(f.getDouble("hoursToCritical"), f.getDouble("lowHours", Double.NaN),
                        f.getDouble("highHours", Double.NaN), f.getDouble("basedOnMinutes"));
            }
            return new Availability(java.util.Objects.requireNonNull(o.getString("machine"), "machine"),
                    o.getString("tenant", "default"), Availability.Status.parse(o.getString("status")),
                    o.getString("reason"), Instant.parse(o.getString("since")), o.getDouble("risk", 0.0), forecast,
                    o.getLong("alert", 0L));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an availability (" + e.getMessage() + "): " + o.encode(), e);
        }
    }

    /** Outbox messages for an alert change that schedulers hear of (raised, updated, resolved), else none. */
    public List<OutboxMessage> forAlert(AlertEvent.Type eventType, Alert a, Instant at) {
        String type = switch (eventType) {
            case RAISED, REACTIVATED -> ALERT_RAISED;
            case UPDATED, CLEARED -> ALERT_UPDATED;
            case RESOLVED -> ALERT_RESOLVED;
            default -> null;
        };
        return type == null ? List.of() : messages(a.machineId(), type, alerts.summary(a), at);
    }

    public List<OutboxMessage> forStatus(Availability a, Instant at) {
        return messages(a.machineId(), STATUS_CHANGED, availabilityJson(a), at);
    }

    private List<OutboxMessage> messages(String machineId, String type, JsonObject data, Instant at) {
        String tenant = tenants.getOrDefault(machineId, "default");
        List<OutboxMessage> out = new ArrayList<>();
        for (WebhookEndpoint e : endpoints) {
            if (e.sees(tenant)) {
                out.add(message(e.name(), machineId, type, data, at));
            }
        }
        if (toKafka) {
            out.add(message(KAFKA, machineId, type, data, at));
        }
        return out;
    }

    private OutboxMessage message(String destination, String machineId, String type, JsonObject data, Instant at) {
        String id = UUID.randomUUID().toString();
        CloudEvent ce = CloudEventBuilder.v1().withId(id).withSource(source).withType(type)
                .withTime(at.atOffset(ZoneOffset.UTC)).withSubject(machineId)
                .withDataContentType("application/json")
                .withData(data.encode().getBytes(StandardCharsets.UTF_8)).build();
        return new OutboxMessage(destination, machineId, id, type, new String(FORMAT.serialize(ce), StandardCharsets.UTF_8));
    }

    /** A stored message's event, as it was made (the outbox keeps the structured JSON form). */
    public static CloudEvent event(String stored) {
        return FORMAT.deserialize(stored.getBytes(StandardCharsets.UTF_8));
    }
}
