package dev.vigil.runtime.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * Runs one blocking task on a period, on a worker, never two at once (a run still going when the next is due
 * skips that turn). Failures are logged and the next run tries again. Used for escalation, the stale-data
 * watchdog and flushing the score history.
 */
public final class PeriodicVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicVerticle.class);
    private final String name;
    private final long periodMillis;
    private final Callable<?> task;
    private final boolean finalRun;
    private boolean running;

    /** @param finalRun whether to run the task once more while stopping (to flush what it keeps) */
    public PeriodicVerticle(String name, long periodMillis, Callable<?> task, boolean finalRun) {
        this.name = name;
        this.periodMillis = periodMillis;
        this.task = task;
        this.finalRun = finalRun;
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(periodMillis, t -> {
            if (running) {
                return;
            }
            running = true;
            vertx.executeBlocking(task, false).onComplete(ar -> {
                running = false;
                if (ar.failed()) {
                    LOG.warn("{} failed: {}", name, ar.cause().toString());
                }
            });
        });
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        if (!finalRun) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(task, false).recover(e -> {
            LOG.warn("{} failed while stopping: {}", name, e.toString());
            return Future.succeededFuture();
        });
    }
}
