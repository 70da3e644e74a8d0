package dev.vigil.runtime.alert;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every {@code periodMillis} for critical alerts nobody acknowledged in time and escalates them (stored,
 * published on the alert event stream, logged). The check runs on a worker; a check still running when the
 * next is due is not doubled.
 */
public final class EscalationVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(EscalationVerticle.class);
    private final AlertService alerts;
    private final long periodMillis;
    private boolean running;

    public EscalationVerticle(AlertService alerts, long periodMillis) {
        this.alerts = alerts;
        this.periodMillis = periodMillis;
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(periodMillis, t -> {
            if (running) {
                return;
            }
            running = true;
            vertx.executeBlocking(alerts::escalate, false).onComplete(ar -> {
                running = false;
                if (ar.failed()) {
                    LOG.warn("escalation check failed: {}", ar.cause().toString());
                } else {
                    ar.result().forEach(a -> LOG.warn("escalated alert {} ({} {} on {}): critical and unacknowledged",
                            a.id(), a.severity(), a.fault(), a.machineId()));
                }
            });
        });
        return Future.succeededFuture();
    }
}
