package dev.vigil.runtime.api;

import dev.vigil.model.bundle.Fingerprint;
import dev.vigil.runtime.scheduler.Availability;
import dev.vigil.runtime.scheduler.AvailabilityService;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.NotFoundException;
import dev.vigil.runtime.store.Outbox;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The schedulers' pull API (docs/SCHEDULER.md): every machine's availability the caller may see (a scheduler
 * token scoped to tenants sees only theirs; others are 404, not 403, so their existence is not revealed), with
 * an ETag; one machine; the scheduler's confirmation that it excluded or re-admitted a machine; and, for admins,
 * the webhook outbox (counts and dead messages).
 */
public final class AvailabilityRoutes implements BiConsumer<Vertx, Router> {
    private final AvailabilityService availability;
    private final AvailabilityLog log;
    private final Outbox outbox;
    private final Clock clock;
    private final EventStreams streams;
    private final ActionForward forward;
    /** Stored events read at a time while a stream catches up. */
    static final int REPLAY_PAGE = 1000;
    /** The event that tells a resuming client that events it asked for are gone. */
    public static final String GAP = "vigil.stream.gap";

    /**
     * @param log the event log streams replay, and the schedulers' confirmations
     * @param outbox the webhook messages, for the admins' view
     * @param streams the limit on open event streams, shared with the alert stream
     */
    public AvailabilityRoutes(AvailabilityService availability, AvailabilityLog log, Outbox outbox, Clock clock,
                              EventStreams streams) {
        this(availability, log, outbox, clock, streams, null);
    }

    /**
     * @param forward where a scheduler's confirmation for a machine another instance of a cluster scores goes (null on
     *                a single box)
     */
    public AvailabilityRoutes(AvailabilityService availability, AvailabilityLog log, Outbox outbox, Clock clock,
                              EventStreams streams, ActionForward forward) {
        this.forward = forward;
        this.streams = streams;
        this.availability = availability;
        this.log = log;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        var read = Access.require(Role.SCHEDULER, Role.ENGINEER);
        router.get("/api/v1/availability").handler(read).handler(ctx -> vertx.executeBlocking(() -> {
            Principal p = Access.principal(ctx);
            JsonArray out = new JsonArray();
            for (Availability a : availability.all()) {
                if (p.seesTenant(a.tenant())) {
                    out.add(json(a));
                }
            }
            return new JsonObject().put("machines", out).encode();
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ApiErrors.send(ctx, ar.cause());
                return;
            }
            // pollers send If-None-Match: an unchanged fleet costs them a 304 and no body
            String tag = etagOf(ar.result());
            if (tag.equals(ctx.request().getHeader("If-None-Match"))) {
                ctx.response().setStatusCode(304).putHeader("ETag", tag).end();
            } else {
                ctx.response().putHeader("ETag", tag).putHeader("content-type", "application/json").end(ar.result());
            }
        }));
        // before /:machine, so that "events" is not taken for a machine
        router.get("/api/v1/availability/events").handler(read).handler(ctx -> events(vertx, ctx));
        router.get("/api/v1/availability/:machine").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx,
                () -> json(visible(ctx))));
        router.post("/api/v1/availability/:machine/ack").handler(BodyHandler.create(false).setBodyLimit(4096))
                .handler(Access.require(Role.SCHEDULER)).handler(ctx -> ApiErrors.forwardable(vertx, ctx, () -> {
                    Availability a = visible(ctx);
                    JsonObject in = ApiErrors.jsonBody(ctx);
                    if (!(in.getValue("excluded") instanceof Boolean excluded)) {
                        throw new IllegalArgumentException("field 'excluded' is required: true (no new jobs) or false (bookable)");
                    }
                    AvailabilityLog.SchedulerAck ack = new AvailabilityLog.SchedulerAck(Access.principal(ctx).name(),
                            clock.instant(), excluded);
                    if (forward != null && forward.elsewhere(a.machineId())) {
                        // the owner keeps it and hands it on with the machine: every instance shows it from there
                        return new JsonObject().put("forwardedTo", forward.forward(a.machineId(), new JsonObject()
                                .put("action", "scheduler-ack").put("by", ack.by()).put("excluded", excluded)
                                .put("at", ack.at().toEpochMilli()))).put("machine", a.machineId())
                                .put("action", "scheduler-ack");
                    }
                    log.schedulerAck(a.machineId(), ack);
                    return json(a);
                }));
        router.get("/api/v1/webhooks").handler(Access.require(Role.ADMIN)).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            JsonArray dead = new JsonArray();
            for (Outbox.Entry e : outbox.dead(100)) {
                dead.add(new JsonObject().put("endpoint", e.endpoint()).put("machine", e.machineId()).put("id", e.eventId())
                        .put("type", e.type()).put("createdAt", e.createdAt().toString()).put("attempts", e.attempts())
                        .put("lastError", e.lastError()));
            }
            return new JsonObject().put("counts", new JsonObject(new LinkedHashMap<>(outbox.counts())))
                    .put("dead", dead);
        }));
    }

    /**
     * {@code GET /api/v1/availability/events}: Server-Sent Events of status changes, {@code id:} being the change's
     * sequence number. A client that reconnects with {@code Last-Event-ID} first gets every change it missed (from
     * the store), then live ones; live changes that arrive while the missed ones are read are held back and
     * de-duplicated by sequence, so nothing is skipped or doubled. Scoped to the caller's tenants; a client that
     * does not keep up is disconnected (it resumes with Last-Event-ID).
     */
    private void events(Vertx vertx, RoutingContext ctx) {
        Principal p = Access.principal(ctx);
        long after;
        try {
            String last = ctx.request().getHeader("Last-Event-ID");
            after = last == null ? Long.MAX_VALUE : Long.parseLong(last.trim());
        } catch (NumberFormatException e) {
            ApiErrors.send(ctx, new IllegalArgumentException("Last-Event-ID must be a number from an earlier event"));
            return;
        }
        Runnable release = streams.open(ctx);
        if (release == null) {
            return;
        }
        var res = ctx.response().setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache");
        res.write(": vigil availability\n\n");
        java.util.List<JsonObject> held = new java.util.ArrayList<>();
        long[] sent = {after == Long.MAX_VALUE ? -1 : after};
        boolean[] replaying = {after != Long.MAX_VALUE};
        Consumer<JsonObject> write = e -> {
            long seq = e.getLong("seq");
            if (seq <= sent[0] || !p.seesTenant(e.getString("tenant"))) {
                return;
            }
            // live, a client that does not keep up is cut off (it resumes with Last-Event-ID); while replaying, the
            // pages wait for the queue to drain instead
            if (!replaying[0] && res.writeQueueFull()) {
                res.reset();
                return;
            }
            sent[0] = seq;
            res.write("id: " + seq + "\nevent: " + SchedulerEvents.STATUS_CHANGED + "\ndata: " + e.getString("body") + "\n\n");
        };
        var consumer = vertx.eventBus().<JsonObject>localConsumer(AvailabilityService.EVENTS, m -> {
            if (replaying[0]) {
                held.add(m.body());
            } else {
                write.accept(m.body());
            }
        });
        long ping = vertx.setPeriodic(15_000, t -> res.write(": ping\n\n"));
        res.closeHandler(v -> {
            consumer.unregister();
            vertx.cancelTimer(ping);
            release.run();
        });
        if (replaying[0]) {
            replay(vertx, res, after, write, () -> {
                replaying[0] = false;
                held.forEach(write);
                held.clear();
            });
        }
    }

    /**
     * Sends the stored events after {@code after} page by page (none skipped, however many), then runs {@code done}.
     * When events the client asks for were already pruned ({@code storage.availabilityEventsDays}), it is told first,
     * with an {@code event: vigil.stream.gap}: it must read the current state with {@code GET /api/v1/availability}.
     */
    private void replay(Vertx vertx, HttpServerResponse res, long after,
                        Consumer<JsonObject> write, Runnable done) {
        vertx.executeBlocking(() -> {
            long firstKept = log.firstKept();
            return new Replay(firstKept, log.after(after, REPLAY_PAGE));
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                unreadable(res, after);
                done.run();
                return;
            }
            long firstKept = ar.result().firstKept();
            if (after + 1 < firstKept) {
                gap(res, new JsonObject().put("after", after).put("firstKept", firstKept).put("reason", "events "
                        + (after + 1) + ".." + (firstKept - 1) + " were pruned (older than storage.availabilityEventsDays): "
                        + CURRENT));
            }
            page(vertx, res, after, write, done, ar.result().page());
        });
    }

    /** The first page of a replay, and where the kept events begin. */
    private record Replay(long firstKept, List<AvailabilityLog.Event> page) {
    }

    private static final String CURRENT = "GET /api/v1/availability for the current state";

    private static void gap(HttpServerResponse res, JsonObject data) {
        res.write("event: " + GAP + "\ndata: " + data.encode() + "\n\n");
    }

    private static void unreadable(HttpServerResponse res, long after) {
        gap(res, new JsonObject().put("after", after).put("reason", "the stored events could not be read: " + CURRENT));
    }

    private void page(Vertx vertx, HttpServerResponse res, long after,
                      Consumer<JsonObject> write, Runnable done, List<AvailabilityLog.Event> page) {
        long last = after;
        for (AvailabilityLog.Event e : page) {
            write.accept(new JsonObject().put("seq", e.seq()).put("tenant", e.tenant()).put("body", e.body()));
            last = e.seq();
        }
        if (page.size() < REPLAY_PAGE) {
            done.run();
        } else {
            next(vertx, res, last, write, done);
        }
    }

    /** Reads the page after {@code after} once the client has taken the last one (one page at a time queued). */
    private void next(Vertx vertx, HttpServerResponse res, long after,
                      Consumer<JsonObject> write, Runnable done) {
        if (res.closed()) {
            return;
        }
        if (res.writeQueueFull()) {
            res.drainHandler(v -> next(vertx, res, after, write, done));
            return;
        }
        vertx.executeBlocking(() -> log.after(after, REPLAY_PAGE), false).onComplete(ar -> {
            if (ar.failed()) {
                unreadable(res, after);
                done.run();
                return;
            }
            page(vertx, res, after, write, done, ar.result());
        });
    }

    private Availability visible(RoutingContext ctx) {
        Availability a = availability.of(ctx.pathParam("machine"));
        if (a == null || !Access.principal(ctx).seesTenant(a.tenant())) {
            throw new NotFoundException("unknown machine '" + ctx.pathParam("machine") + "'");
        }
        return a;
    }

    private JsonObject json(Availability a) throws Exception {
        JsonObject o = SchedulerEvents.availabilityJson(a);
        log.schedulerAckOf(a.machineId()).ifPresent(ack -> o.put("schedulerAck", new JsonObject()
                .put("by", ack.by()).put("at", ack.at().toString()).put("excluded", ack.excluded())));
        return o;
    }

    static String etagOf(String body) {
        return "\"" + Fingerprint.of(body.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + "\"";
    }
}
