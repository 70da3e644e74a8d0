package dev.vigil.runtime.ops;

import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.Outbox;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@code GET /health} and {@code /health/live} (liveness: the process answers), {@code /health/ready}
 * (readiness: 200 once every part is up, including the MQTT connection when configured; 503 with what is not),
 * both without a token; {@code GET /metrics} in Prometheus text format for the monitor and admin roles.
 */
public final class OpsRoutes implements BiConsumer<Vertx, Router> {
    private final Metrics metrics;
    private final AlertStore alerts;
    private final Outbox outbox;
    private final Supplier<Map<String, Boolean>> parts;
    private final int machines;

    /** @param parts each part's readiness, by name */
    public OpsRoutes(Metrics metrics, AlertStore alerts, Outbox outbox, Supplier<Map<String, Boolean>> parts, int machines) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.outbox = outbox;
        this.parts = parts;
        this.machines = machines;
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP").put("machines", machines)));
        router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(ctx -> {
            Map<String, Boolean> state = parts.get();
            boolean ready = state.values().stream().allMatch(Boolean::booleanValue);
            ctx.response().setStatusCode(ready ? 200 : 503);
            ctx.json(new JsonObject().put("status", ready ? "READY" : "NOT_READY")
                    .put("parts", new JsonObject(new java.util.LinkedHashMap<>(state))));
        });
        router.get("/metrics").handler(Access.require(Role.MONITOR)).handler(ctx -> vertx.executeBlocking(() -> {
            // alert gauges are counted at scrape time: the store is the truth, and scrapes are rare
            metrics.resetAlerts();
            for (AlertStore.OpenCount c : alerts.countOpen()) {
                metrics.alerts(c.category().id(), c.severity().id(), c.active() ? "active" : "cleared",
                        c.acknowledged() ? "yes" : "no", c.count());
            }
            outbox.counts().forEach((key, n) -> {
                String[] k = key.split("/", 2);
                metrics.webhooks(k[0], k[1], n);
            });
            return metrics.scrape();
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
            } else {
                ctx.response().setStatusCode(500).end("metrics failed: " + ar.cause().getClass().getSimpleName());
            }
        }));
    }
}
