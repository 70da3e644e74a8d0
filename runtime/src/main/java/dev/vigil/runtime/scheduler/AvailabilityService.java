package dev.vigil.runtime.scheduler;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.stream.Arrivals;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each machine's availability for schedulers, recomputed every tick from its stream and its open machine alert:
 * offline without data; in-maintenance once an engineer acknowledged the alert; at-risk when critical or when the
 * score's trend reaches the critical level within the horizon; degraded on a warning; available again only
 * when the alert is resolved, or, for a warning, after the recovery period of healthy scoring. A status change
 * is stored with its webhook messages in one transaction, then published to live subscribers. The last
 * announced status survives restarts, so nothing is announced twice and nothing is missed; every configured
 * machine's state is computed once as the service is made, so it is served from the first ready moment.
 * Blocking: a worker.
 */
public final class AvailabilityService {
    /** Event-bus address of availability changes (for live subscribers): {seq, tenant, body}. */
    public static final String EVENTS = "vigil.availability";
    private static final Duration TREND = Duration.ofMinutes(30);
    private static final int MIN_POINTS = 10;

    private final Map<String, MachineStream> machines;
    private final java.util.function.Predicate<String> owned;
    private final java.util.function.Function<String, Availability> elsewhere;
    private final Map<String, String> tenants;
    private final AlertStore alerts;
    private final AvailabilityLog log;
    private final SchedulerEvents events;
    private final Clock clock;
    private final Duration staleAfter;
    private final Duration recovery;
    private final Duration horizon;
    private final java.util.function.BiConsumer<Long, Availability> publish;
    private final Map<String, HealthForecast> trends = new LinkedHashMap<>();
    // read by the API on the event loop while refresh() holds the lock through its SQLite commits: a concurrent map,
    // so reads never wait (insertion order kept by the machines' order: they are all put at the first refresh)
    private final Map<String, Availability> current = new java.util.concurrent.ConcurrentSkipListMap<>();

    /**
     * @param recovery how long a cleared warning must stay clear before the machine is available again
     * @param horizon a machine whose forecast reaches critical within this is at-risk already
     */
    public AvailabilityService(Map<String, MachineStream> machines, Map<String, String> tenants, AlertStore alerts,
                               AvailabilityLog log, SchedulerEvents events, Clock clock, Duration staleAfter, Duration recovery,
                               Duration horizon, java.util.function.BiConsumer<Long, Availability> publish)
            throws SQLException {
        this(machines, tenants, alerts, log, events, clock, staleAfter, recovery, horizon, publish, m -> true, m -> null);
    }

    /**
     * @param owned whether this service judges a machine now: on a single box every one; an instance of a cluster
     *              only the machines the group gives it (another instance announces the rest)
     * @param elsewhere for a machine not owned here, its availability as its owner announced it, or null when none
     *                  is known: served as it is, never announced again from here
     */
    public AvailabilityService(Map<String, MachineStream> machines, Map<String, String> tenants, AlertStore alerts,
                               AvailabilityLog log, SchedulerEvents events, Clock clock, Duration staleAfter, Duration recovery,
                               Duration horizon, java.util.function.BiConsumer<Long, Availability> publish,
                               java.util.function.Predicate<String> owned,
                               java.util.function.Function<String, Availability> elsewhere) throws SQLException {
        this.owned = owned;
        this.elsewhere = elsewhere;
        this.machines = machines;
        this.tenants = Map.copyOf(tenants);
        this.alerts = alerts;
        this.log = log;
        this.events = events;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.recovery = recovery;
        this.horizon = horizon;
        this.publish = publish;
        // the previous run's statuses are where each configured machine starts (so an unchanged one is not announced
        // twice); a machine no longer configured is not served: nothing would ever update what it said
        log.announced().forEach((m, s) -> {
            if (machines.containsKey(m)) {
                current.put(m, new Availability(m, tenants.getOrDefault(m, "default"), Availability.Status.parse(s.status()), s.reason(),
                        s.since(), 0, null, 0));
            }
        });
        // and then their state now, before anyone can ask: a fresh store would otherwise answer 404 and an empty list,
        // and a restarted one the stored "available" of a machine that has sent nothing since
        refresh();
    }

    /** The latest availability of every machine. */
    public List<Availability> all() {
        return new ArrayList<>(current.values());
    }

    public Availability of(String machineId) {
        return current.get(machineId);
    }

    /** Recomputes every machine; announces the changes; returns them. */
    public synchronized List<Availability> refresh() throws SQLException {
        Instant now = clock.instant();
        List<Availability> changed = new ArrayList<>();
        Map<Long, Availability> announced = new LinkedHashMap<>();
        for (MachineStream m : machines.values()) {
            if (!owned.test(m.machineId())) {
                Availability there = elsewhere.apply(m.machineId());
                if (there != null) {
                    current.put(m.machineId(), there);
                }
                continue;
            }
            Availability before = current.get(m.machineId());
            Availability next = compute(m, now, before);
            current.put(m.machineId(), next);
            if (before == null || before.status() != next.status()) {
                List<OutboxMessage> messages = events.forStatus(next, now);
                // in a cluster, the id the change has on the availability topic: the log knows it when it reads it back
                String clusterId = messages.stream().filter(o -> o.endpoint().equals(SchedulerEvents.KAFKA))
                        .map(OutboxMessage::eventId).findFirst().orElse(null);
                long seq = log.announce(m.machineId(), next.tenant(),
                        new AvailabilityLog.Announced(next.status().id(), next.since(), next.reason()),
                        SchedulerEvents.availabilityJson(next).encode(), messages, now, clusterId);
                announced.put(seq, next);
                changed.add(next);
            }
        }
        announced.forEach(publish);
        return changed;
    }

    private Availability compute(MachineStream m, Instant now, Availability before) throws SQLException {
        String id = m.machineId();
        Assessment latest = m.latest();
        Availability.Forecast forecast = forecast(id, latest, now);
        double risk = 0;
        if (latest != null && latest.smoothed() == latest.smoothed() && latest.critical() > 0) {
            risk = Math.max(0, Math.min(1, latest.smoothed() / latest.critical()));
        }
        Arrivals.Snapshot arrivals = m.arrivals().snapshot();
        long last = arrivals.lastAcceptedMillis();
        Availability.Status status;
        String reason;
        long alertId = 0;
        List<Alert> open = alerts.list(new AlertStore.Query(List.of(id), true, Category.MACHINE, null, null, 1));
        Alert a = open.isEmpty() ? null : open.get(0);
        if (last == 0 || now.toEpochMilli() - last > staleAfter.toMillis()) {
            status = Availability.Status.OFFLINE;
            reason = (last == 0 ? "no data since Vigil started" : "no data since " + Instant.ofEpochMilli(last))
                    + (arrivals.refusingWithin(now.toEpochMilli(), staleAfter.toMillis())
                    ? "; refusing what arrives: " + arrivals.lastReason() : "");
        } else if (a != null) {
            alertId = a.id();
            String what = a.fault() + " (" + a.severity().id() + ")";
            if (a.acknowledged()) {
                status = Availability.Status.IN_MAINTENANCE;
                reason = "engineer acknowledged " + what;
            } else if (a.severity() == Severity.CRITICAL) {
                status = Availability.Status.AT_RISK;
                reason = what;
            } else if (!a.active() && a.clearedAt() != null && !a.clearedAt().plus(recovery).isAfter(now)) {
                status = Availability.Status.AVAILABLE;
                reason = "warning " + a.fault() + " cleared " + a.clearedAt();
            } else if (forecast != null && forecast.hours() * 3_600_000 <= horizon.toMillis()) {
                status = Availability.Status.AT_RISK;
                reason = what + ", forecast to reach critical in " + String.format("%.1f", forecast.hours()) + " h";
            } else {
                status = Availability.Status.DEGRADED;
                reason = what;
            }
        } else if (forecast != null && forecast.hours() * 3_600_000 <= horizon.toMillis()) {
            status = Availability.Status.AT_RISK;
            reason = "forecast to reach critical in " + String.format("%.1f", forecast.hours()) + " h";
        } else {
            status = Availability.Status.AVAILABLE;
            reason = "healthy";
        }
        Instant since = before != null && before.status() == status ? before.since() : now;
        return new Availability(id, tenants.getOrDefault(id, "default"), status, reason, since, risk, forecast, alertId);
    }

    private Availability.Forecast forecast(String id, Assessment latest, Instant now) {
        HealthForecast f = trends.computeIfAbsent(id, k -> new HealthForecast(TREND.toMillis(), MIN_POINTS));
        if (latest != null && latest.score() == latest.score()) {
            f.add(latest.epochMillis(), latest.smoothed(), latest.warning(), latest.critical());
        }
        return f.forecast();
    }
}
