package dev.vigil.runtime.ops;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.time.Clock;

/** Serves {@code GET /health}: the runtime's liveness answer, with its version and uptime. */
public final class HealthVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final Clock clock;
    private HttpServer server;
    private long startedMillis;

    public HealthVerticle(String host, int port, Clock clock) {
        this.host = host;
        this.port = port;
        this.clock = clock;
    }

    @Override
    public Future<?> start() {
        startedMillis = clock.millis();
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.json(new JsonObject()
                .put("status", "UP")
                .put("version", version())
                .put("uptimeSeconds", (clock.millis() - startedMillis) / 1000)));
        return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s);
    }

    /** The port actually bound (useful when configured with 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private static String version() {
        String v = HealthVerticle.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
