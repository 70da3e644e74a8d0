package dev.vigil.runtime.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open Server-Sent Event streams (alerts and availability), counted against one limit: each holds a
 * connection, a bus consumer and a timer for as long as its client likes, so without a limit a client that opens
 * them in a loop takes the service's memory and file handles.
 */
public final class EventStreams {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    /** @param max streams open at once (config {@code http.maxEventStreams}) */
    public EventStreams(int max) {
        this.max = max;
    }

    /**
     * Takes a place for this request's stream: the returned action gives it back (call it when the stream closes;
     * more calls do nothing). Null when every place is taken: the request is then answered 503 with Retry-After.
     */
    Runnable open(RoutingContext ctx) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            ctx.response().setStatusCode(503).putHeader("Retry-After", "10").putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", max + " event streams are open, the limit (http.maxEventStreams): "
                            + "retry later, or close a stream you no longer read").encode());
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }
}
