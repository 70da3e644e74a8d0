package dev.vigil.runtime;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.signal.Transforms;
import dev.vigil.runtime.alert.AlertJson;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.api.AlertRoutes;
import dev.vigil.runtime.api.AvailabilityRoutes;
import dev.vigil.runtime.api.EventStreams;
import dev.vigil.runtime.api.MachineRoutes;
import dev.vigil.runtime.config.KafkaSettings;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.config.TokenSettings;
import dev.vigil.runtime.dashboard.DashboardRoutes;
import dev.vigil.runtime.ingest.DataClock;
import dev.vigil.runtime.ingest.FrameScoring;
import dev.vigil.runtime.ingest.IngestRoutes;
import dev.vigil.runtime.ingest.MqttIngestVerticle;
import dev.vigil.runtime.ingest.ScoringWarmUp;
import dev.vigil.runtime.kafka.AlertIds;
import dev.vigil.runtime.kafka.ChangedMachines;
import dev.vigil.runtime.kafka.FleetView;
import dev.vigil.runtime.kafka.KafkaEvents;
import dev.vigil.runtime.kafka.KafkaCommands;
import dev.vigil.runtime.kafka.KafkaFrameForward;
import dev.vigil.runtime.kafka.SharedModels;
import dev.vigil.runtime.kafka.KafkaIngest;
import dev.vigil.runtime.kafka.Ownership;
import dev.vigil.runtime.kafka.KafkaTopics;
import dev.vigil.runtime.kafka.MachineStates;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.ops.OpsRoutes;
import dev.vigil.runtime.ops.PeriodicVerticle;
import dev.vigil.runtime.record.Recorder;
import dev.vigil.runtime.scheduler.AvailabilityService;
import dev.vigil.runtime.scheduler.SchedulerEvents;
import dev.vigil.runtime.scheduler.WebhookDelivery;
import dev.vigil.runtime.score.LevelFeedback;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.score.ModelLifecycle;
import dev.vigil.runtime.score.ModelSharing;
import dev.vigil.runtime.score.ModelVersion;
import dev.vigil.runtime.score.ScoreRecorder;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Principal;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.EventStore;
import dev.vigil.runtime.store.MachineStore;
import dev.vigil.runtime.stream.Arrivals;
import dev.vigil.runtime.stream.FrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The running service: opens the store, loads each machine's model (the configured bundle, or the one last
 * deployed through the API), and deploys one verticle per concern: HTTP/WebSocket ingest and API, MQTT ingest,
 * escalation, the stale-data watchdog, the score-history flush. Start and stop are futures; stopping undeploys
 * everything (flushing the score history) and closes the store, so a restart finds everything as it was.
 */
public final class VigilServer {
    private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);
    private final Vertx vertx;
    private final RuntimeConfig config;
    private final Clock clock;
    /** What start made, set once (stop closes what it holds). */
    private volatile Parts parts;
    private HttpVerticle http;
    private final List<String> deployments = new CopyOnWriteArrayList<>();

    /**
     * The service's parts, made by {@link #prepare} in the order they need each other.
     *
     * @param recordings the recorder, or null when recording is off
     * @param routes the API's routes
     */
    private record Parts(EventStore events, MachineStore machineStore, Map<String, MachineStream> machines,
                         AlertService alerts, ScoreRecorder recorder, Recorder recordings, FrameScoring scoring,
                         AvailabilityService availability, List<BiConsumer<Vertx, Router>> routes,
                         KafkaFrameForward forward, MachineStates states, KafkaCommands commands,
                         SharedModels sharedModels, io.vertx.core.Deployable modelsReader) {
    }

    /** How often, in a cluster that follows drift, every owned machine's state is handed on with no change. */
    static final Duration DRIFT_HAND_ON = Duration.ofMinutes(10);
    /** How far ahead of this instance's clock another instance's change may be dated before it is worth a warning. */
    private static final Duration CLOCK_AHEAD_WARNING = Duration.ofSeconds(30);
    private final Metrics metrics;
    private MqttIngestVerticle mqtt;
    private KafkaIngest kafkaIngest;
    /** Which machines an instance of a cluster owns now (null on a single box, which owns every one). */
    private final Ownership ownership;
    /** The fleet's availability as a cluster's instances announced it (null on a single box). */
    private final FleetView fleet;
    /** In a cluster, the machines whose state changed since it was last handed on (null on a single box). */
    private final ChangedMachines changed;
    private volatile boolean started;

    public VigilServer(Vertx vertx, RuntimeConfig config, Clock clock) {
        this(vertx, config, clock, Metrics.create());
    }

    /** @param metrics the registry {@code /metrics} serves (the one given to {@link #newVertx}, for Vert.x's own meters) */
    public VigilServer(Vertx vertx, RuntimeConfig config, Clock clock, Metrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.ownership = config.kafka() == null ? null : new Ownership(config.alerts().staleAfter());
        this.fleet = config.kafka() == null ? null : new FleetView(config.kafka());
        this.changed = config.kafka() == null ? null : new ChangedMachines();
    }

    /** A Vert.x instance whose HTTP, event-bus and pool meters go to the same registry as Vigil's own. */
    public static Vertx newVertx(Metrics metrics) {
        return newVertx(metrics, new VertxOptions());
    }

    /** As {@link #newVertx(Metrics)}, from other options (a test's stricter blocked-thread checker). */
    public static Vertx newVertx(Metrics metrics, VertxOptions base) {
        // scoring is CPU-bound: a pool much larger than the cores only adds contention (measured: docs/PERFORMANCE.md)
        int workers = Integer.getInteger("vigil.workers", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        return Vertx.builder().with(new VertxOptions(base).setWorkerPoolSize(workers).setMetricsOptions(
                        new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics.registry())).build();
    }

    public Future<VigilServer> start() {
        return vertx.executeBlocking(this::prepare).compose(p -> {
            parts = p;
            Access access = new Access(tokens(config.security()), tenantsOf(config));
            KafkaSettings kafka = config.kafka();
            http = new HttpVerticle(httpOptions(config), access, new IngestRoutes(access, p.machines(),
                    config.maxSamplesPerFrame(), config.maxInFlightPerMachine(), p.scoring(), p.forward()), p.routes(),
                    List.of(new DashboardRoutes()), metrics, config.security().connections().max());
            // the periodic tasks first: stopping undeploys in reverse, so ingest stops before the last flush
            List<io.vertx.core.Deployable> verticles = new ArrayList<>(List.of(
                    new PeriodicVerticle("score history", config.history().bucket().toMillis(), this::flushScores, true),
                    new PeriodicVerticle("escalation", config.alerts().escalationCheck().toMillis(), () -> p.alerts().escalate(this::owns),
                            false),
                    new PeriodicVerticle("stale-data watchdog", Math.max(1000, config.alerts().staleAfter().toMillis() / 4),
                            this::checkStale, false),
                    new PeriodicVerticle("availability", 1000, p.availability()::refresh, false),
                    new PeriodicVerticle("store pruning", 3_600_000, this::pruneStore, false),
                    new WebhookDelivery(p.events().outbox(), config.scheduler().endpoints(), clock,
                            config.scheduler().deadAfter(), 250),
                    http));
            if (config.mqtt() != null) {
                // in a cluster the MQTT front forwards to the frames topic, on a subscription the instances share
                mqtt = new MqttIngestVerticle(config.mqtt(), p.machines(), config.maxSamplesPerFrame(), p.scoring(),
                        p.forward(), kafka == null ? null : kafka.group());
                verticles.add(mqtt);
            }
            if (kafka != null) {
                // the models deployed through the API first: no frame is scored with a model the cluster replaced
                verticles.add(verticles.indexOf(http), p.modelsReader());
                kafkaIngest = new KafkaIngest(kafka, p.machines(), config.maxSamplesPerFrame(), p.scoring(),
                        ownership, p.states(), p.commands(), metrics);
                verticles.add(kafkaIngest);
                verticles.add(new KafkaEvents(kafka, p.events().outbox(), clock, 250));
                verticles.add(fleet.reader());
                verticles.add(p.states().mirrorReader());
                if (config.followDrift()) {
                    // the state is handed on with every alert change; what the drift followers learn changes with every
                    // window, so it is handed on now and then too, for a machine that moves after a quiet day
                    verticles.add(new PeriodicVerticle("drift hand-on", DRIFT_HAND_ON.toMillis(), () -> {
                        p.machines().keySet().stream().filter(this::owns).forEach(changed);
                        return null;
                    }, false));
                }
            }
            Future<String> deployed = Future.succeededFuture();
            for (io.vertx.core.Deployable d : verticles) {
                deployed = deployed.compose(id -> vertx.deployVerticle(d)).onSuccess(deployments::add);
            }
            return deployed;
        }).map(id -> {
            started = true;
            return this;
        });
    }

    /** The blocking part of start: stores, models, services; what it opened is closed again if it fails. */
    private Parts prepare() throws Exception {
        EventStore events;
        if (config.kafka() != null) {
            try (Admin admin = Admin.create(config.kafka().clientProperties())) {
                List<String> created = new KafkaTopics(config.kafka()).ensure(admin, Duration.ofSeconds(60));
                if (!created.isEmpty()) {
                    LOG.info("kafka: created topics {}", created);
                }
            }
            AlertIds ids = AlertIds.claim(config.kafka(), Duration.ofSeconds(60));
            LOG.info("kafka: new alerts of this start are numbered in block {}", ids.block());
            events = EventStore.openClustered(config.storePath(), ids);
            try {
                int dropped = events.outbox().dropHeld();
                if (dropped > 0) {
                    LOG.warn("kafka: dropped {} messages of changes this instance made but never handed on to the "
                            + "cluster (it stopped before); the machines' next owners decided and announced them", dropped);
                }
            } catch (SQLException | RuntimeException e) {
                events.close();
                throw e;
            }
        } else {
            events = EventStore.open(config.storePath());
        }
        MachineStore machineStore = null;
        try {
            machineStore = MachineStore.open(config.storePath());
            return prepare(events, machineStore);
        } catch (Exception | Error e) {
            events.close();
            if (machineStore != null) {
                machineStore.close();
            }
            throw e;
        }
    }

    private Parts prepare(EventStore events, MachineStore machineStore) throws Exception {
        pruneStore(events); // then hourly: a service restarted often still prunes
        Path modelsDir = config.storePath().toAbsolutePath().getParent().resolve("models");
        Map<String, MachineStream> machines = new ConcurrentHashMap<>();
        // machines whose active bundle could not be read, and what they fell back to (alerted once made)
        Map<String, String> fallbacks = new LinkedHashMap<>();
        // in a cluster, every instance gives a machine the models deployed through any instance's API
        SharedModels shared = null;
        if (config.kafka() != null) {
            Map<String, Path> bundles = new LinkedHashMap<>();
            config.machines().forEach(m -> bundles.put(m.id(), m.model()));
            shared = new SharedModels(config.kafka(), bundles);
        }
        ModelLifecycle models = new ModelLifecycle(machines, machineStore, modelsDir, clock,
                shared == null ? ModelSharing.NONE : shared);
        // one set of FFT plans and windows for the whole fleet: the same window sizes, the same read-only tables
        Transforms transforms = new Transforms();
        models.removeHalfCopied().forEach(f -> LOG.info("deleted {}, an upload a crash left half-copied", f));
        for (RuntimeConfig.Machine m : config.machines()) {
            machines.put(m.id(), machine(m, models, fallbacks, transforms));
            models.cleanUp(m.id(), m.model()).forEach(f -> LOG.info("machine {}: deleted the old bundle {}", m.id(),
                    f.getFileName()));
        }
        if (!config.warmUp().isZero()) {
            ScoringWarmUp.Result warm = new ScoringWarmUp(transforms).run(machines.values(), config.warmUp());
            LOG.info("scoring warmed up before taking data: {} windows ({} scored) of {} models in {} ms", warm.windows(),
                    warm.scored(), warm.models(), warm.elapsed().toMillis());
        }
        LevelFeedback feedback = new LevelFeedback(machines, machineStore, config.feedback().step(),
                config.feedback().max(), clock, changed == null ? m -> { } : changed);
        feedback.restore();
        Recorder recordings = null;
        if (config.recording() != null) {
            Map<String, Recorder.Source> sources = new LinkedHashMap<>();
            for (RuntimeConfig.Machine m : config.machines()) {
                sources.put(m.id(), new Recorder.Source(m.kind(), machines.get(m.id()).model().spec()));
            }
            recordings = new Recorder(config.recording(), sources);
            metrics.recordingDropped(recordings::dropped);
        }
        try {
            return services(events, machineStore, machines, models, feedback, recordings, fallbacks, shared);
        } catch (Exception | Error e) {
            if (recordings != null) {
                recordings.close();
            }
            throw e;
        }
    }

    private Parts services(EventStore events, MachineStore machineStore, Map<String, MachineStream> machines,
                           ModelLifecycle models, LevelFeedback feedback, Recorder recordings,
                           Map<String, String> fallbacks, SharedModels shared) throws Exception {
        KafkaCommands commands = null;
        Map<String, String> tenants = tenantsOf(config);
        AlertJson json = new AlertJson(tenants, config.alerts().persistentAfter());
        SchedulerEvents schedulerEvents = new SchedulerEvents(config.scheduler().site(), config.scheduler().endpoints(),
                tenants, config.kafka() != null);
        // in a cluster, every alert change is handed on with its machine (MachineStates)
        AlertFanOut fanOut = new AlertFanOut(vertx.eventBus(), json, feedback, recordings);
        AlertService alerts = new AlertService(events.alerts(), clock, config.sensorAlertWindows(),
                config.alerts().escalateAfter(), (type, alert) -> schedulerEvents.forAlert(type, alert, clock.instant()),
                config.kafka() == null ? fanOut : fanOut.andThen(e -> changed.accept(e.alert().machineId())));
        if (config.kafka() != null) {
            commands = new KafkaCommands(config.kafka(), ownership, alerts, feedback, events.availability(), changed);
        }
        for (Map.Entry<String, String> f : fallbacks.entrySet()) {
            alerts.raise(f.getKey(), "model-fallback", f.getValue());
        }
        AvailabilityService availability = new AvailabilityService(machines, tenants, events.alerts(),
                events.availability(), schedulerEvents, clock, config.alerts().staleAfter(),
                config.scheduler().recovery(), config.scheduler().atRiskHorizon(),
                (seq, a) -> {
                    vertx.eventBus().publish(AvailabilityService.EVENTS, new JsonObject().put("seq", seq)
                            .put("tenant", a.tenant()).put("body", SchedulerEvents.availabilityJson(a).encode()));
                    if (changed != null) {
                        // its messages are held until the machine's state is handed on
                        changed.accept(a.machineId());
                    }
                }, this::owns,
                fleet == null ? m -> null : fleet);
        if (fleet != null) {
            // every instance's event stream of availability carries the fleet: the other instances' changes go into
            // this instance's log (once each, by event id) and out to its live streams
            fleet.onChange(c -> mirrorAvailability(events.availability(), machines, c));
        }
        ScoreRecorder recorder = new ScoreRecorder(config.history().bucket().toMillis());
        FrameScoring scoring = new FrameScoring(alerts, recorder, recordings, clock, new DataClock(clock,
                config.dataClock().ahead(), config.dataClock().behind()), metrics);
        EventStreams streams = new EventStreams(config.security().connections().eventStreams());
        List<BiConsumer<Vertx, Router>> routes = List.of(
                new AlertRoutes(alerts, events.alerts(), json, tenants, streams, commands),
                new MachineRoutes(config.machines(), machines, machineStore, models, feedback,
                        config.alerts().staleAfter(), clock, this::scoresHere, commands),
                new AvailabilityRoutes(availability, events.availability(), events.outbox(), clock, streams, commands),
                new OpsRoutes(metrics, events.alerts(), events.outbox(), this::readiness, machines.size()));
        // an instance of a cluster scores only the machines the group gives it, from the frames topic: what its
        // HTTP and WebSocket fronts take goes there (scored here too, a machine would be scored on two instances)
        KafkaFrameForward forward = config.kafka() == null ? null
                : new KafkaFrameForward(config.kafka(), new FrameCodec(config.maxSamplesPerFrame())
                        .maxFrameBytes());
        MachineStates states = config.kafka() == null ? null : new MachineStates(config.kafka(), alerts, feedback,
                events.outbox(), events.availability(), ownership, changed, machines, endpointNames(), clock,
                e -> vertx.eventBus().publish(AlertRoutes.EVENTS, json.event(e)));
        return new Parts(events, machineStore, machines, alerts, recorder, recordings, scoring, availability, routes,
                forward, states, commands, shared, shared == null ? null : shared.reader(models));
    }

    /** One machine's stream, with the model it starts with (the configured bundle, or the one last deployed). */
    private MachineStream machine(RuntimeConfig.Machine m, ModelLifecycle models, Map<String, String> fallbacks,
                                  Transforms transforms) throws Exception {
        Path bundlePath;
        Bundle bundle;
        try {
            ModelLifecycle.Starting starting = models.startingModel(m.id(), m.model());
            bundlePath = starting.path();
            bundle = starting.bundle();
            if (starting.fallback() != null) {
                LOG.error("machine {}: {}", m.id(), starting.fallback());
                fallbacks.put(m.id(), starting.fallback());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("machine " + m.id() + ": " + e.getMessage(), e);
        }
        if (!bundlePath.getFileName().toString().equals(m.id() + "-" + ModelVersion.of(m.model()) + ".zip")) {
            LOG.info("machine {} scores with {} (deployed through the API)", m.id(), bundlePath.getFileName());
        }
        MachineStream stream = new MachineStream(m.id(), bundle.model(), ModelVersion.of(bundlePath),
                config.toleranceSeconds(), config.maxAheadSeconds(), phase(m.id()), transforms);
        if (m.isoClass() != null) {
            stream.overrideIsoClass(m.isoClass());
        }
        if (config.followDrift()) {
            stream.followDrift(DriftFollower.Settings.defaults());
        }
        return stream;
    }

    /**
     * A machine's window phase, fixed by its id: one of ten slots of the hop, so the fleet's windows end spread
     * over the hop rather than all at the same instant (scoring load is even instead of a burst per hop), and
     * still on the 100 ms boundaries gateways commonly send frames on (a window is complete when the frame with
     * its last sample arrives, without waiting for a frame that straddles its end).
     */
    public static double phase(String machineId) {
        return Math.floorMod(machineId.hashCode() * 0x9E3779B1, 10) / 10.0;
    }

    private Map<String, Boolean> readiness() {
        Map<String, Boolean> parts = new LinkedHashMap<>();
        parts.put("started", started);
        if (config.mqtt() != null) {
            parts.put("mqtt", mqtt != null && mqtt.connected());
        }
        if (config.kafka() != null) {
            parts.put("kafka", kafkaIngest != null && kafkaIngest.joined());
        }
        return parts;
    }

    /** The token table the configuration describes (authentication off only when it says so). */
    static Tokens tokens(RuntimeConfig.Security security) {
        if (security.authDisabled()) {
            return Tokens.disabled();
        }
        Map<String, Principal> byHash = new HashMap<>();
        for (TokenSettings t : security.tokens()) {
            byHash.put(t.sha256(), new Principal(t.name(), t.role(), t.machines(), t.tenants()));
        }
        return Tokens.of(byHash);
    }

    private void mirrorAvailability(AvailabilityLog log, Map<String, MachineStream> machines, FleetView.Change c) {
        String id = c.availability().machineId();
        if (!machines.containsKey(id) || c.eventId() == null) {
            return;
        }
        // the log keeps a machine's changes newest last and passes over one older than its newest: a change dated
        // ahead of this instance's clock (a forged one, or an instance whose clock runs fast) is logged as of now, so
        // it cannot hide the changes after it until its date comes
        Instant now = clock.instant();
        Instant at = c.at();
        if (at.isAfter(now)) {
            if (at.isAfter(now.plus(CLOCK_AHEAD_WARNING))) {
                LOG.warn("kafka: availability change {} of {} is dated {}, ahead of this instance's clock ({}): logged "
                        + "as of now; check the clocks of the cluster's instances", c.eventId(), id, at, now);
            }
            at = now;
        }
        try {
            long seq = log.mirror(id, c.availability().tenant(), c.body(), c.eventId(), at);
            if (seq > 0) {
                vertx.eventBus().publish(AvailabilityService.EVENTS, new JsonObject().put("seq", seq)
                        .put("tenant", c.availability().tenant()).put("body", c.body()));
            }
        } catch (SQLException e) {
            LOG.warn("kafka: availability change {} of {} not logged here ({}): this instance's event stream misses it",
                    c.eventId(), id, e.toString());
        }
    }

    /** The outbox's destinations: the scheduler endpoints and, in a cluster, the event topics. */
    private Set<String> endpointNames() {
        Set<String> names = new HashSet<>();
        config.scheduler().endpoints().forEach(e -> names.add(e.name()));
        names.add(SchedulerEvents.KAFKA);
        return names;
    }

    private static Map<String, String> tenantsOf(RuntimeConfig config) {
        Map<String, String> tenants = new LinkedHashMap<>();
        config.machines().forEach(m -> tenants.put(m.id(), m.tenant()));
        return tenants;
    }

    /** Whether this service judges the machine now (staleness, availability): on a single box, every one. */
    private boolean owns(String machineId) {
        return ownership == null || ownership.test(machineId);
    }

    /** Whether this service scores the machine now: on a single box, every one. */
    private boolean scoresHere(String machineId) {
        return ownership == null || ownership.scores(machineId);
    }

    private Object checkStale() throws Exception {
        Map<String, Arrivals.Snapshot> last = new LinkedHashMap<>();
        // a machine that moved to another instance of a cluster is silent here: no news
        parts.machines().forEach((id, m) -> {
            if (owns(id)) {
                last.put(id, m.arrivals().snapshot());
            }
        });
        return parts.alerts().checkStale(last, config.alerts().staleAfter());
    }

    private Object flushScores() throws Exception {
        // forgotten only once committed: a locked store or a full disk delays the points, it does not lose them
        ScoreRecorder.Pending pending = parts.recorder().pending();
        parts.machineStore().append(pending.points());
        parts.recorder().written(pending);
        parts.machineStore().prune(config.history().retention(), clock.instant());
        return null;
    }

    private Object pruneStore() throws Exception {
        return pruneStore(parts.events());
    }

    private Object pruneStore(EventStore events) throws Exception {
        RuntimeConfig.Retention r = config.retention();
        EventStore.Pruned pruned = events.prune(r.outbox(), r.availabilityEvents(), r.resolvedAlerts(), clock.instant());
        if (pruned.total() > 0) {
            LOG.info("store pruned: {} webhook messages, {} availability events, {} resolved alerts", pruned.outbox(),
                    pruned.availabilityEvents(), pruned.alerts());
        }
        return pruned;
    }

    static HttpServerOptions httpOptions(RuntimeConfig config) {
        HttpServerOptions o = new HttpServerOptions().setHost(config.host()).setPort(config.port());
        RuntimeConfig.Tls tls = config.security().tls();
        if (tls != null) {
            o.setSsl(true).setKeyCertOptions(tls.keyStore() != null
                    ? new PfxOptions().setPath(tls.keyStore().toString()).setPassword(tls.password())
                    : new PemKeyCertOptions().setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
        }
        return o;
    }

    /** HTTP connections open now (WebSockets and event streams included). */
    public int openConnections() {
        return http.connections();
    }

    /** The recorder, or null when recording is off (or before start). */
    public Recorder recordings() {
        Parts p = parts;
        return p == null ? null : p.recordings();
    }

    /** Every HTTP route served. */
    public List<String> routes() {
        return http.routes();
    }

    public int port() {
        return http.actualPort();
    }

    public Future<Void> stop() {
        started = false;
        Future<Void> undeployed = Future.succeededFuture();
        List<String> ids = new ArrayList<>(deployments);
        Collections.reverse(ids);
        deployments.clear();
        for (String id : ids) {
            undeployed = undeployed.compose(v -> vertx.undeploy(id));
        }
        return undeployed.recover(e -> Future.succeededFuture())
                .compose(v -> vertx.executeBlocking(() -> {
                    Parts p = parts;
                    if (p != null) {
                        if (p.forward() != null) {
                            p.forward().close();
                        }
                        if (p.commands() != null) {
                            p.commands().close();
                        }
                        if (p.sharedModels() != null) {
                            p.sharedModels().close();
                        }
                        p.events().close();
                        p.machineStore().close();
                        if (p.recordings() != null) {
                            p.recordings().close();
                        }
                    }
                    return null;
                }));
    }
}
