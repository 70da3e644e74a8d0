package dev.vigil.runtime.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs blocking work on the worker pool in order per machine and in parallel across machines. (Vert.x's
 * ordered {@code executeBlocking} orders per verticle context, which would put every machine of a transport in
 * one queue and use one core.) Use from one event loop (the verticle's), which makes the lanes race-free.
 *
 * <p>A machine's work that arrives while its lane is busy waits, and the lane then runs all of it in one worker
 * task: a gateway sends every channel's frame of a tick together, and one hand-over to a worker and back per
 * frame (two thread wake-ups each) cost more CPU at a few hundred machines than decoding the frames. Results are
 * handed back on the event loop, in order, when the batch is done. A transport whose answers must follow each piece
 * before the next runs (MQTT: a failure drops the connection, and the frames after it must neither run nor be
 * acknowledged before the broker delivers them again) takes one piece at a time.
 */
final class MachineLanes {
    private final Vertx vertx;
    private final boolean batch;
    private final Map<String, Lane> lanes = new HashMap<>();

    /** @param batch whether work that waited behind a busy lane runs as one worker task, or piece by piece */
    MachineLanes(Vertx vertx, boolean batch) {
        this.vertx = vertx;
        this.batch = batch;
    }

    <T> Future<T> submit(String machineId, Callable<T> work) {
        Lane lane = lanes.computeIfAbsent(machineId, k -> new Lane());
        Task<T> task = new Task<>(work);
        lane.waiting.add(task);
        if (!lane.running) {
            lane.running = true;
            run(lane);
        }
        return task.promise.future();
    }

    /** Runs what waits in the lane (or its first piece) as one worker task; then the next, if more waits. */
    private void run(Lane lane) {
        List<Task<?>> next;
        if (batch) {
            next = new ArrayList<>(lane.waiting);
            lane.waiting.clear();
        } else {
            next = List.of(lane.waiting.poll());
        }
        vertx.executeBlocking(() -> {
            for (Task<?> t : next) {
                t.call();
            }
            return null;
        }, false).onComplete(ar -> {
            for (Task<?> t : next) {
                t.complete();
            }
            if (lane.waiting.isEmpty()) {
                lane.running = false;
            } else {
                run(lane);
            }
        });
    }

    /** A machine's work waiting or running; touched only on the event loop. */
    private static final class Lane {
        final ArrayDeque<Task<?>> waiting = new ArrayDeque<>();
        boolean running;
    }

    /** One piece of work, its outcome kept on the worker and handed to its promise on the event loop. */
    private static final class Task<T> {
        final Callable<T> work;
        final Promise<T> promise = Promise.promise();
        private T result;
        private Throwable failure;

        Task(Callable<T> work) {
            this.work = work;
        }

        void call() {
            try {
                result = work.call();
            } catch (Throwable e) {
                // as executeBlocking would: the failure is this piece's answer, the lane goes on
                failure = e;
            }
        }

        void complete() {
            if (failure != null) {
                promise.fail(failure);
            } else {
                promise.complete(result);
            }
        }
    }
}
