package dev.vigil.runtime.api;

import dev.vigil.domain.FaultType;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertJson;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.alert.Verdict;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.NotFoundException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The engineers' alert API (docs/openapi.yaml): list and filter, detail with history, acknowledge, assign,
 * comment, resolve with a verdict, and a live Server-Sent Events stream of every change. JDBC runs on workers.
 */
public final class AlertRoutes implements BiConsumer<Vertx, Router> {
    /** Event-bus address on which every stored alert change is published as {@code AlertJson.event}. */
    public static final String EVENTS = "vigil.alert-events";
    private final AlertService alerts;
    private final AlertStore store;
    private final AlertJson json;
    private final Map<String, String> tenants;
    private final EventStreams streams;
    private final ActionForward forward;

    public AlertRoutes(AlertService alerts, AlertStore store, AlertJson json, Map<String, String> tenants, EventStreams streams) {
        this(alerts, store, json, tenants, streams, null);
    }

    /**
     * @param store where alerts are listed and read from (changes go through {@code alerts})
     * @param tenants each machine's tenant, for the tenant filter
     * @param streams the limit on open event streams, shared with the availability stream
     * @param forward where actions on machines scored by another instance of a cluster go (null on a single box)
     */
    public AlertRoutes(AlertService alerts, AlertStore store, AlertJson json, Map<String, String> tenants,
                       EventStreams streams, ActionForward forward) {
        this.forward = forward;
        this.streams = streams;
        this.alerts = alerts;
        this.store = store;
        this.json = json;
        this.tenants = Map.copyOf(tenants);
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        var read = Access.require(Role.ENGINEER, Role.SCHEDULER);
        var act = Access.require(Role.ENGINEER);
        // registered before /alerts/:id so that "events" is not taken for an id
        router.get("/api/v1/alerts/events").handler(act).handler(ctx -> events(vertx, ctx));
        router.get("/api/v1/alerts").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            JsonArray out = new JsonArray();
            boolean scheduler = Access.principal(ctx).role() == Role.SCHEDULER;
            store.list(query(ctx)).forEach(a -> out.add(scheduler ? json.summary(a) : json.alert(a)));
            return new JsonObject().put("alerts", out);
        }));
        router.get("/api/v1/alerts/:id").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            Alert a = visible(ctx);
            return Access.principal(ctx).role() == Role.SCHEDULER ? json.summary(a)
                    : json.withHistory(a, store.history(a.id()));
        }));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(16_384);
        router.post("/api/v1/alerts/:id/ack").handler(body).handler(act).handler(ctx -> acting(vertx, ctx, id -> {
            JsonObject in = bodyOf(ctx);
            return new Action("acknowledge", new JsonObject(), () -> alerts.acknowledge(id, actor(ctx, in)),
                    actor(ctx, in));
        }));
        router.post("/api/v1/alerts/:id/assign").handler(body).handler(act).handler(ctx -> acting(vertx, ctx, id -> {
            JsonObject in = bodyOf(ctx);
            if (!in.containsKey("assignee")) {
                throw new IllegalArgumentException("field 'assignee' is required (null to unassign)");
            }
            String assignee = in.getString("assignee");
            return new Action("assign", new JsonObject().put("assignee", assignee),
                    () -> alerts.assign(id, assignee, actor(ctx, in)), actor(ctx, in));
        }));
        router.post("/api/v1/alerts/:id/comments").handler(body).handler(act).handler(ctx -> acting(vertx, ctx, id -> {
            JsonObject in = bodyOf(ctx);
            String text = required(in, "text");
            return new Action("comment", new JsonObject().put("text", text), () -> alerts.comment(id, actor(ctx, in), text),
                    actor(ctx, in));
        }));
        router.post("/api/v1/alerts/:id/resolve").handler(body).handler(act).handler(ctx -> acting(vertx, ctx, id -> {
            JsonObject in = bodyOf(ctx);
            Verdict verdict = Verdict.parse(required(in, "verdict"));
            String fault = in.getString("fault");
            String note = in.getString("note");
            if (fault != null) {
                FaultType.parse(fault);
                if (verdict != Verdict.CONFIRMED) {
                    throw new IllegalArgumentException("fault is only given with the verdict confirmed");
                }
            }
            return new Action("resolve", new JsonObject().put("verdict", verdict.id()).put("fault", fault).put("note", note),
                    () -> alerts.resolve(id, actor(ctx, in), verdict, fault, note), actor(ctx, in));
        }));
    }

    /** An engineer's action on an alert: applied here, or its fields handed on to the instance that scores the machine. */
    private record Action(String name, JsonObject fields, Callable<Alert> here, String by) {
    }

    @FunctionalInterface
    private interface ActionOn {
        Action of(long id) throws Exception;
    }

    /**
     * Runs an action on the alert the path names: here (200 with the changed alert), or, in a cluster, for a machine
     * another instance scores, handed on to it (202: that instance changes the alert, and every instance shows the
     * change once it is handed on, within a second or so).
     */
    private void acting(Vertx vertx, RoutingContext ctx, ActionOn action) {
        ApiErrors.forwardable(vertx, ctx, () -> {
            Alert alert = visible(ctx);
            long id = alert.id();
            Action a = action.of(id);
            String machine = alert.machineId();
            if (forward != null && forward.elsewhere(machine)) {
                String to = forward.forward(machine, a.fields().copy().put("action", a.name()).put("alert", id)
                        .put("by", a.by()));
                return new JsonObject().put("forwardedTo", to).put("alert", id).put("action", a.name());
            }
            return json.alert(a.here().call());
        });
    }

    private AlertStore.Query query(RoutingContext ctx) {
        var q = ctx.queryParams();
        List<String> named = q.contains("machine") ? q.getAll("machine") : null;
        List<String> machines = named;
        String tenant = q.get("tenant");
        var principal = Access.principal(ctx);
        if (!principal.tenants().isEmpty()) {
            // a scoped caller sees its tenants' machines only, whatever it asks for
            List<String> own = new ArrayList<>();
            tenants.forEach((m, t) -> {
                if (principal.seesTenant(t) && (named == null || named.contains(m)) && (tenant == null || tenant.equals(t))) {
                    own.add(m);
                }
            });
            machines = own;
        } else if (tenant != null) {
            List<String> own = new ArrayList<>();
            tenants.forEach((m, t) -> {
                if (t.equals(tenant) && (named == null || named.contains(m))) {
                    own.add(m);
                }
            });
            machines = own;
        }
        Severity severity = q.get("severity") == null ? null : Severity.parse(q.get("severity"));
        Category category = q.get("category") == null ? null : Category.parse(q.get("category"));
        Boolean active = q.get("active") == null ? null : bool(q.get("active"), "active");
        boolean open = q.get("open") == null || bool(q.get("open"), "open");
        int limit = 100;
        if (q.get("limit") != null) {
            try {
                limit = Integer.parseInt(q.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("limit must be a whole number 1..10000, got '" + q.get("limit") + "'");
            }
        }
        return new AlertStore.Query(machines, open, category, severity, active, limit);
    }


    private static boolean bool(String v, String name) {
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /**
     * {@code GET /api/v1/alerts/events[?machine=ID]}: Server-Sent Events, one {@code event: <type>} with the
     * alert JSON per change, and a comment line every 15 s to keep proxies from closing it. A client that does
     * not keep up (the response's write queue is full) is disconnected rather than buffered without bound; it
     * reconnects and lists the alerts to catch up.
     */
    private void events(Vertx vertx, RoutingContext ctx) {
        String machine = ctx.queryParams().get("machine");
        Runnable release = streams.open(ctx);
        if (release == null) {
            return;
        }
        HttpServerResponse res = ctx.response().setChunked(true).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache");
        res.write(": vigil alert events\n\n");
        var principal = Access.principal(ctx);
        MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(EVENTS, msg -> {
            JsonObject e = msg.body();
            String of = e.getJsonObject("alert").getString("machine");
            if (machine != null && !machine.equals(of) || !principal.seesTenant(tenants.getOrDefault(of, "default"))) {
                return;
            }
            if (res.writeQueueFull()) {
                res.reset();
                return;
            }
            res.write("event: " + e.getString("type") + "\ndata: " + e.encode() + "\n\n");
        });
        long ping = vertx.setPeriodic(15_000, t -> res.write(": ping\n\n"));
        res.closeHandler(v -> {
            consumer.unregister();
            vertx.cancelTimer(ping);
            release.run();
        });
    }

    /** The alert named in the path, if it exists and the caller may see its machine's tenant; else 404. */
    /** The alert the path names, if the caller may see it (404 otherwise: not even whether it exists). */
    private Alert visible(RoutingContext ctx) throws SQLException {
        long id = id(ctx);
        return alerts.get(id).filter(x -> Access.principal(ctx).seesTenant(tenants.getOrDefault(x.machineId(), "default")))
                .orElseThrow(() -> new NotFoundException("no alert " + id));
    }

    /**
     * Who acted, for the history: always the token's name; a body's {@code by} (a shared console or a proxy acting
     * for someone) is recorded beside it, never instead of it.
     */
    private static String actor(RoutingContext ctx, JsonObject in) {
        String name = Access.principal(ctx).name();
        Object by = in.getValue("by");
        if (by == null || by.toString().isBlank() || by.toString().equals(name)) {
            return name;
        }
        String who = by.toString().replaceAll("[\\p{Cntrl}]", "?");
        return name + " (for " + who.substring(0, Math.min(64, who.length())) + ")";
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alert id must be a number, got '" + ctx.pathParam("id") + "'");
        }
    }

    private static JsonObject bodyOf(RoutingContext ctx) {
        return ApiErrors.jsonBody(ctx);
    }

    private static String required(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required (text)");
        }
        return s;
    }

}
