package dev.vigil.runtime.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs blocking work on the worker pool in order per machine and in parallel across machines. (Vert.x's
 * ordered {@code executeBlocking} orders per verticle context, which would put every machine of a transport in
 * one queue and use one core.) Each machine's tasks are chained on its previous one; use from one event loop
 * (the verticle's), which makes the chaining race-free.
 */
final class MachineLanes {
    private final Vertx vertx;
    private final Map<String, Future<?>> tails = new HashMap<>();

    MachineLanes(Vertx vertx) {
        this.vertx = vertx;
    }

    <T> Future<T> submit(String machineId, Callable<T> work) {
        Future<?> tail = tails.getOrDefault(machineId, Future.succeededFuture());
        Future<T> next = tail.transform(previous -> vertx.executeBlocking(work, false));
        tails.put(machineId, next);
        return next;
    }
}
