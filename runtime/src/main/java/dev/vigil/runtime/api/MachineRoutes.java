package dev.vigil.runtime.api;

import dev.vigil.model.feature.Spectra;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.score.AssessmentJson;
import dev.vigil.runtime.score.LevelFeedback;
import dev.vigil.runtime.score.LiveView;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.score.ModelLifecycle;
import dev.vigil.runtime.score.ModelState;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.store.MachineStore;
import dev.vigil.runtime.store.NotFoundException;
import dev.vigil.runtime.stream.Arrivals;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Machines (docs/openapi.yaml): the fleet with each machine's status, one machine with its latest assessment,
 * its score history, and its model lifecycle (deploy a bundle, shadow, promote, roll back; reset the feedback
 * factor). Blocking work runs on workers.
 */
public final class MachineRoutes implements BiConsumer<Vertx, Router> {
    /** Points per spectrum sent to the dashboard: about one per pixel of a wide chart. */
    private static final int SPECTRUM_POINTS = 1200;
    /** Bearing defect lines and their first harmonics sit below this at spindle speeds. */
    private static final double ENVELOPE_MAX_HZ = 1000;
    private static final long MAX_BUNDLE_BYTES = 256L << 20;
    private final java.util.function.Predicate<String> scoredHere;
    private final ActionForward forward;
    private final List<RuntimeConfig.Machine> configured;
    private final Map<String, MachineStream> machines;
    private final MachineStore store;
    private final ModelLifecycle models;
    private final LevelFeedback feedback;
    private final Duration staleAfter;
    private final Clock clock;

    /**
     * @param scoredHere whether this service scores the machine now: every one on a single box; on an instance of a
     *                   Kafka cluster those the group gives it (the others are said to be scored elsewhere)
     */
    public MachineRoutes(List<RuntimeConfig.Machine> configured, Map<String, MachineStream> machines, MachineStore store,
                         ModelLifecycle models, LevelFeedback feedback, Duration staleAfter, Clock clock,
                         java.util.function.Predicate<String> scoredHere) {
        this(configured, machines, store, models, feedback, staleAfter, clock, scoredHere, null);
    }

    /**
     * @param forward where a reset of the feedback of a machine another instance of a cluster scores goes (null on a
     *                single box)
     */
    public MachineRoutes(List<RuntimeConfig.Machine> configured, Map<String, MachineStream> machines, MachineStore store,
                         ModelLifecycle models, LevelFeedback feedback, Duration staleAfter, Clock clock,
                         java.util.function.Predicate<String> scoredHere, ActionForward forward) {
        this.forward = forward;
        this.scoredHere = scoredHere;
        this.configured = List.copyOf(configured);
        this.machines = machines;
        this.store = store;
        this.models = models;
        this.feedback = feedback;
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        // schedulers see availability (/api/v1/availability), not scores and models
        var read = Access.require(Role.ENGINEER);
        var admin = Access.require(Role.ADMIN);
        router.get("/api/v1/machines").handler(read).handler(ctx -> {
            String tenant = ctx.queryParams().get("tenant");
            String status = ctx.queryParams().get("status");
            JsonArray out = new JsonArray();
            for (RuntimeConfig.Machine m : configured) {
                if (!Access.principal(ctx).seesTenant(m.tenant())) {
                    continue;
                }
                JsonObject o = machine(m);
                if ((tenant == null || tenant.equals(m.tenant())) && (status == null || status.equals(o.getString("status")))) {
                    out.add(o);
                }
            }
            ctx.json(new JsonObject().put("machines", out));
        });
        router.get("/api/v1/machines/:id").handler(read).handler(ctx -> {
            RuntimeConfig.Machine m = configured(ctx.pathParam("id"));
            if (m == null) {
                ApiErrors.send(ctx, new NotFoundException("unknown machine '" + ctx.pathParam("id") + "'"));
                return;
            }
            JsonObject o = machine(m);
            Assessment a = machines.get(m.id()).latest();
            if (a != null) {
                o.put("latest", AssessmentJson.of(a));
            }
            ctx.json(o);
        });
        router.get("/api/v1/machines/:id/scores").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            String id = known(ctx);
            Instant to = instant(ctx, "to", clock.instant());
            Instant from = instant(ctx, "from", to.minus(Duration.ofHours(24)));
            JsonArray points = new JsonArray();
            for (MachineStore.Point p : store.history(id, from, to, 10_000)) {
                JsonObject o = new JsonObject().put("at", p.at().toString()).put("windows", p.windows())
                        .put("level", p.level()).put("warning", p.warning()).put("critical", p.critical())
                        .put("model", p.model());
                if (p.maxScore() == p.maxScore()) {
                    o.put("max", p.maxScore()).put("mean", p.meanScore());
                }
                points.add(o);
            }
            return new JsonObject().put("machine", id).put("from", from.toString()).put("to", to.toString())
                    .put("points", points);
        }));
        // up to 900 assessments to encode: on a worker
        router.get("/api/v1/machines/:id/recent").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            String id = known(ctx);
            String text = ctx.queryParams().get("after");
            long after;
            try {
                after = text == null ? -1 : Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("after: not a window index: " + text);
            }
            JsonArray windows = new JsonArray();
            machines.get(id).view().recent(after).forEach(a -> windows.add(AssessmentJson.of(a)));
            return new JsonObject().put("machine", id).put("windows", windows);
        }));
        router.get("/api/v1/machines/:id/spectrum").handler(read).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            String id = known(ctx);
            Spectra.Result r = machines.get(id).view().spectra(SPECTRUM_POINTS, ENVELOPE_MAX_HZ);
            JsonObject o = new JsonObject().put("machine", id);
            JsonArray channels = new JsonArray();
            if (r != null) {
                if (r.shaftHz() == r.shaftHz()) {
                    o.put("shaftHz", r.shaftHz());
                }
                o.put("lines", new JsonObject(new java.util.LinkedHashMap<>(r.lines())));
                Assessment a = machines.get(id).latest();
                if (a != null) {
                    o.put("at", Instant.ofEpochMilli(a.epochMillis()).toString());
                }
                for (Spectra.Channel c : r.channels()) {
                    channels.add(new JsonObject().put("channel", c.name()).put("unit", c.unit()).put("binHz", c.binHz())
                            .put("hz", array(c.hz())).put("amplitude", array(c.amplitude()))
                            .put("envelopeHz", array(c.envelopeHz())).put("envelope", array(c.envelope())));
                }
            }
            return o.put("channels", channels);
        }));
        router.get("/api/v1/machines/:id/model").handler(Access.require(Role.ENGINEER)).handler(ctx ->
                ApiErrors.blocking(vertx, ctx, () -> model(known(ctx))));
        // the role first, then the body, streamed to a file: a monitor's token must not make the service read 256 MB
        router.post("/api/v1/machines/:id/model").handler(admin).handler(ctx -> {
            String mode = ctx.queryParams().get("mode") == null ? "active" : ctx.queryParams().get("mode");
            if (!mode.equals("active") && !mode.equals("shadow")) {
                ApiErrors.send(ctx, new IllegalArgumentException("mode must be active or shadow, got '" + mode + "'"));
                return;
            }
            if (configured(ctx.pathParam("id")) == null) {
                ApiErrors.send(ctx, new NotFoundException("unknown machine '" + ctx.pathParam("id") + "'"));
                return;
            }
            BodyFile.receive(vertx, ctx, MAX_BUNDLE_BYTES).onFailure(e -> ApiErrors.send(ctx, e)).onSuccess(upload ->
                    ApiErrors.blocking(vertx, ctx, () -> {
                        try {
                            if (Files.size(upload) == 0) {
                                throw new IllegalArgumentException("the body must be a model bundle (application/zip) from "
                                        + "`vigil train`");
                            }
                            models.deploy(known(ctx), upload, mode.equals("shadow"), Access.principal(ctx).name());
                            return model(known(ctx));
                        } finally {
                            Files.deleteIfExists(upload);
                        }
                    }));
        });
        router.post("/api/v1/machines/:id/model/rollback").handler(admin).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            models.rollback(known(ctx), Access.principal(ctx).name());
            return model(known(ctx));
        }));
        router.post("/api/v1/machines/:id/model/promote").handler(admin).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            models.promote(known(ctx), Access.principal(ctx).name());
            return model(known(ctx));
        }));
        router.delete("/api/v1/machines/:id/model/shadow").handler(admin).handler(ctx -> ApiErrors.blocking(vertx, ctx, () -> {
            models.stopShadow(known(ctx), Access.principal(ctx).name());
            return model(known(ctx));
        }));
        router.delete("/api/v1/machines/:id/feedback").handler(admin).handler(ctx -> ApiErrors.forwardable(vertx, ctx, () -> {
            String id = known(ctx);
            if (forward != null && forward.elsewhere(id)) {
                // the owner changes the levels it scores with, and hands the feedback on with the machine's state
                return new JsonObject().put("forwardedTo", forward.forward(id, new JsonObject()
                        .put("action", "reset-feedback").put("by", Access.principal(ctx).name())))
                        .put("machine", id).put("action", "reset-feedback");
            }
            feedback.reset(id);
            return model(id);
        }));
    }

    private RuntimeConfig.Machine configured(String id) {
        return configured.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
    }

    private String known(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!machines.containsKey(id)) {
            throw new NotFoundException("unknown machine '" + id + "'");
        }
        return id;
    }

    private static Instant instant(RoutingContext ctx, String name, Instant fallback) {
        String v = ctx.queryParams().get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant like 2026-11-28T10:00:00Z, got '" + v + "'");
        }
    }

    private static JsonArray array(double[] v) {
        JsonArray a = new JsonArray();
        for (double x : v) {
            // four significant digits are plenty for a plot and keep the response small
            a.add(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", x)));
        }
        return a;
    }

    /**
     * Status: refusing-data (data arrives but none was accepted for the stale period), no-data (nothing accepted since
     * start), stale, sensor, critical, warning or normal.
     */
    private JsonObject machine(RuntimeConfig.Machine m) {
        MachineStream s = machines.get(m.id());
        LiveView v = s.view();
        Assessment a = v.latest();
        Arrivals.Snapshot arrivals = s.arrivals().snapshot();
        long last = arrivals.lastAcceptedMillis();
        long now = clock.millis();
        boolean silent = last == 0 || now - last > staleAfter.toMillis();
        String status = silent && arrivals.refusingWithin(now, staleAfter.toMillis()) ? "refusing-data"
                : last == 0 ? "no-data"
                : silent ? "stale"
                : a == null || a.level() == Level.TRANSIENT ? Level.NORMAL.id() : a.level().id();
        JsonObject o = new JsonObject().put("id", m.id()).put("kind", m.kind()).put("tenant", m.tenant())
                .put("status", status).put("model", v.modelVersion()).put("windows", v.windows())
                .put("levelFactor", v.levelFactor());
        if (!scoredHere.test(m.id())) {
            // another instance of the cluster scores it: what this one shows is what it saw while it did
            o.put("scoredHere", false);
        }
        if (last != 0) {
            o.put("lastFrameAt", Instant.ofEpochMilli(last).toString());
        }
        if (arrivals.refusedTotal() > 0) {
            o.put("refused", new JsonObject().put("total", arrivals.refusedTotal())
                    .put("sinceLastAccepted", arrivals.refusedSinceAccepted())
                    .put("lastAt", Instant.ofEpochMilli(arrivals.lastRefusedMillis()).toString())
                    .put("lastReason", arrivals.lastReason()));
        }
        if (a != null) {
            o.put("level", a.level().id()).put("alarm", a.alarm());
            if (a.smoothed() == a.smoothed()) {
                o.put("smoothed", a.smoothed());
            }
        }
        return o;
    }

    private JsonObject model(String id) throws Exception {
        LiveView v = machines.get(id).view();
        JsonArray deployments = new JsonArray();
        for (MachineStore.Deployment d : store.deployments(id)) {
            deployments.add(new JsonObject().put("version", d.version()).put("action", d.action()).put("by", d.by())
                    .put("at", d.at().toString()));
        }
        JsonObject o = new JsonObject().put("machine", id).put("active", state(v.active()))
                .put("levelFactor", v.levelFactor()).put("deployments", deployments);
        if (v.previous() != null) {
            o.put("previous", state(v.previous()));
        }
        if (v.shadow() != null) {
            o.put("shadow", state(v.shadow()));
        }
        return o;
    }

    private static JsonObject state(ModelState st) {
        JsonObject o = new JsonObject().put("version", st.version()).put("windows", st.windows())
                .put("alarmWindows", st.alarms()).put("warning", st.warning()).put("critical", st.critical());
        if (st.maxSmoothed() == st.maxSmoothed()) {
            o.put("maxSmoothed", st.maxSmoothed());
        }
        return o;
    }
}
