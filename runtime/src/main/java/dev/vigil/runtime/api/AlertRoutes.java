package dev.vigil.runtime.api;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.NotFoundException;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * {@code GET /api/v1/alerts[?machine=ID&open=true]}, {@code GET /api/v1/alerts/{id}} (with history),
 * {@code POST /api/v1/alerts/{id}/ack} {@code {"by"}}, {@code POST /api/v1/alerts/{id}/resolve}
 * {@code {"by","verdict","note"}}. JDBC runs on workers.
 */
public final class AlertRoutes implements BiConsumer<Vertx, Router> {
    private final AlertStore store;
    private final Clock clock;

    public AlertRoutes(AlertStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        var read = Access.require(Role.ENGINEER, Role.SCHEDULER);
        var act = Access.require(Role.ENGINEER);
        router.get("/api/v1/alerts").handler(read).handler(ctx -> blocking(vertx, ctx, () -> {
            String machine = ctx.queryParams().get("machine");
            boolean open = !"false".equals(ctx.queryParams().get("open"));
            JsonArray out = new JsonArray();
            store.list(machine, open).forEach(a -> out.add(json(a)));
            return new JsonObject().put("alerts", out);
        }));
        router.get("/api/v1/alerts/:id").handler(read).handler(ctx -> blocking(vertx, ctx, () -> {
            long id = id(ctx);
            Alert a = store.get(id).orElseThrow(() -> new NotFoundException("no alert " + id));
            return json(a).put("history", new JsonArray(store.history(id)));
        }));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(16_384);
        router.post("/api/v1/alerts/:id/ack").handler(body).handler(act).handler(ctx -> blocking(vertx, ctx, () -> {
            JsonObject in = bodyOf(ctx);
            return json(store.acknowledge(id(ctx), required(in, "by"), clock.instant()));
        }));
        router.post("/api/v1/alerts/:id/resolve").handler(body).handler(act).handler(ctx -> blocking(vertx, ctx, () -> {
            JsonObject in = bodyOf(ctx);
            return json(store.resolve(id(ctx), required(in, "by"), required(in, "verdict"), in.getString("note"),
                    clock.instant()));
        }));
    }

    private static long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alert id must be a number, got '" + ctx.pathParam("id") + "'");
        }
    }

    private static JsonObject bodyOf(RoutingContext ctx) {
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o == null) {
                throw new IllegalArgumentException("expected a JSON object body");
            }
            return o;
        } catch (io.vertx.core.json.DecodeException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getMessage());
        }
    }

    private static String required(JsonObject o, String field) {
        String v = o.getString(field);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is required");
        }
        return v;
    }

    private static void blocking(Vertx vertx, RoutingContext ctx, Callable<JsonObject> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.json(ar.result());
                return;
            }
            Throwable t = ar.cause();
            int status = t instanceof NotFoundException ? 404 : t instanceof IllegalArgumentException ? 400 : 500;
            String message = status == 500 ? "internal error: " + t.getClass().getSimpleName() : t.getMessage();
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", message).encode());
        });
    }

    static JsonObject json(Alert a) {
        JsonObject o = new JsonObject().put("id", a.id()).put("machine", a.machineId()).put("category", a.category())
                .put("fault", a.fault()).put("severity", a.severity()).put("active", a.active())
                .put("acknowledged", a.acknowledged()).put("open", a.open())
                .put("firstSeen", a.firstSeen().toString()).put("lastSeen", a.lastSeen().toString())
                .put("warning", a.warning()).put("critical", a.critical());
        if (a.score() == a.score()) {
            o.put("score", a.score());
        }
        if (a.clearedAt() != null) {
            o.put("clearedAt", a.clearedAt().toString());
        }
        if (a.resolvedAt() != null) {
            o.put("resolvedAt", a.resolvedAt().toString());
        }
        return o.put("evidence", new JsonObject(a.evidence()));
    }
}
