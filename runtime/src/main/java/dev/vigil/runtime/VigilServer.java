package dev.vigil.runtime;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.alert.AlertJson;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.alert.EscalationVerticle;
import dev.vigil.runtime.score.ModelVersion;
import io.vertx.ext.web.Router;
import java.util.function.BiConsumer;
import dev.vigil.runtime.api.AlertRoutes;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.ingest.IngestVerticle;
import dev.vigil.runtime.ingest.MqttIngestVerticle;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.store.AlertStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import dev.vigil.runtime.security.Access;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running service: loads each machine's bundle, opens the store, and deploys the verticles. Start and stop
 * are futures; stopping undeploys everything and closes the store, so a restart finds every alert as it was.
 */
public final class VigilServer {
    private final Vertx vertx;
    private final RuntimeConfig config;
    private final Clock clock;
    private AlertStore store;
    private AlertService alerts;
    private List<BiConsumer<Vertx, Router>> routes;
    private IngestVerticle ingest;

    public VigilServer(Vertx vertx, RuntimeConfig config, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
    }

    public Future<VigilServer> start() {
        return vertx.executeBlocking(() -> {
            Map<String, MachineStream> machines = new LinkedHashMap<>();
            for (RuntimeConfig.Machine m : config.machines()) {
                Bundle bundle;
                try {
                    bundle = Bundle.read(m.model());
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("machine " + m.id() + ": " + e.getMessage(), e);
                }
                if (!bundle.model().spec().isWaveform()) {
                    throw new IllegalArgumentException("machine " + m.id() + ": model " + m.model()
                            + " was trained on tabular data; waveform streaming needs a waveform model");
                }
                machines.put(m.id(), new MachineStream(m.id(), bundle.model(), ModelVersion.of(m.model()),
                        config.toleranceSeconds()));
            }
            store = AlertStore.open(config.storePath());
            Map<String, String> tenants = new LinkedHashMap<>();
            config.machines().forEach(m -> tenants.put(m.id(), m.tenant()));
            AlertJson json = new AlertJson(tenants, config.alerts().persistentAfter());
            alerts = new AlertService(store, clock, config.sensorAlertWindows(), config.alerts().escalateAfter(),
                    e -> vertx.eventBus().publish(AlertRoutes.EVENTS, json.event(e)));
            routes = List.of(new AlertRoutes(alerts, json, tenants));
            return machines;
        }).compose(machines -> {
            ingest = new IngestVerticle(httpOptions(config), new Access(config.security().tokens()), machines,
                    config.maxSamplesPerFrame(), config.maxInFlightPerMachine(), alerts, withHealth(routes, machines.size()));
            Future<String> deployed = vertx.deployVerticle(ingest)
                    .compose(id -> vertx.deployVerticle(new EscalationVerticle(alerts,
                            config.alerts().escalationCheck().toMillis())));
            if (config.mqttHost() != null) {
                deployed = deployed.compose(id -> vertx.deployVerticle(new MqttIngestVerticle(config.mqttHost(),
                        config.mqttPort(), config.security().mqttUsername(), config.security().mqttPassword(), machines, config.maxSamplesPerFrame(), alerts)));
            }
            return deployed;
        }).map(id -> this);
    }

    private static List<BiConsumer<Vertx, Router>> withHealth(List<BiConsumer<Vertx, Router>> routes, int machines) {
        List<BiConsumer<Vertx, Router>> all = new java.util.ArrayList<>(routes);
        all.add((v, router) -> router.get("/health").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject()
                .put("status", "UP").put("machines", machines))));
        return all;
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

    public int port() {
        return ingest.actualPort();
    }

    public Future<Void> stop() {
        Future<Void> undeployed = Future.succeededFuture();
        for (String id : vertx.deploymentIDs()) {
            undeployed = undeployed.compose(v -> vertx.undeploy(id));
        }
        return undeployed.recover(e -> Future.succeededFuture())
                .compose(v -> vertx.executeBlocking(() -> {
                    if (store != null) {
                        store.close();
                    }
                    return null;
                }));
    }

}
