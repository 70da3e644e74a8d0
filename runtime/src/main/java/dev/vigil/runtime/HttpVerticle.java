package dev.vigil.runtime;

import dev.vigil.runtime.ingest.FrameScoring;
import dev.vigil.runtime.ingest.IngestRoutes;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.security.Tokens;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The service's one HTTP port: the connection limit, then one router on which each part mounts its own routes in
 * order: the public ones (the dashboard's files), authentication, ingest ({@link IngestRoutes}, which also takes the
 * WebSocket handshakes and streams), then the API's. Neither ingest nor the API knows of the other.
 */
public final class HttpVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Access access;
    private final IngestRoutes ingest;
    private final List<BiConsumer<Vertx, Router>> routes;
    private final List<BiConsumer<Vertx, Router>> publicRoutes;
    private final Metrics metrics;
    private final int maxConnections;
    private final AtomicInteger connections = new AtomicInteger();
    private HttpServer server;
    private Router router;

    /**
     * @param options listen address, port and TLS
     * @param access authentication; every route but the public ones and the health probes needs a token
     * @param routes the API's routes, registered after authentication and ingest
     * @param publicRoutes routes served without a token (the dashboard's static files), registered first
     * @param maxConnections a new connection is closed at once while this many are open (config
     *                       {@code http.maxConnections}): each holds buffers and a file handle, and a client opening
     *                       them in a loop must not take the service down
     */
    public HttpVerticle(HttpServerOptions options, Access access, IngestRoutes ingest,
                        List<BiConsumer<Vertx, Router>> routes, List<BiConsumer<Vertx, Router>> publicRoutes,
                        Metrics metrics, int maxConnections) {
        // no HTTP/2 upgrade on plain HTTP: Java's HttpClient asks for one (h2c) on its first request, and the
        // switch raced with the request body often enough to fail a test run with a protocol error; the service
        // speaks HTTP/1.1 (docs/PROTOCOL.md). A WebSocket message is one frame: as large as the frame limit allows
        // (the default 64 kB closed the socket on a frame of 16,384 samples); idle connections are closed after two
        // minutes (SSE streams ping every 15 s)
        int frameBytes = (int) Math.min(Integer.MAX_VALUE, ingest.maxFrameBytes());
        this.options = new HttpServerOptions(options).setHttp2ClearTextEnabled(false)
                .setMaxWebSocketFrameSize(frameBytes).setMaxWebSocketMessageSize(frameBytes)
                .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS);
        this.access = access;
        this.ingest = ingest;
        this.routes = List.copyOf(routes);
        this.publicRoutes = List.copyOf(publicRoutes);
        this.metrics = metrics;
        this.maxConnections = maxConnections;
    }

    /** Plain HTTP ingest alone, without authentication and without alerting: for tests of the ingest path. */
    public static HttpVerticle ingestOnly(String host, int port, Map<String, MachineStream> machines,
                                          int maxSamplesPerFrame, int maxInFlightPerMachine) {
        Access open = new Access(Tokens.disabled());
        FrameScoring scoring = FrameScoring.scoreOnly();
        return new HttpVerticle(new HttpServerOptions().setHost(host).setPort(port), open,
                new IngestRoutes(open, machines, maxSamplesPerFrame, maxInFlightPerMachine, scoring), List.of(),
                List.of(), scoring.metrics(), Integer.MAX_VALUE);
    }

    @Override
    public Future<?> start() {
        router = Router.router(vertx);
        // the dashboard's files hold no data (its API calls carry the token), so they come before authentication
        publicRoutes.forEach(r -> r.accept(vertx, router));
        router.route().handler(access.authenticate());
        ingest.accept(vertx, router);
        router.errorHandler(413, ingest::tooLarge);
        routes.forEach(r -> r.accept(vertx, router));
        return vertx.createHttpServer(options).connectionHandler(this::connection)
                .webSocketHandshakeHandler(ingest::handshake).webSocketHandler(ingest::stream)
                .requestHandler(router).listen().onSuccess(s -> server = s);
    }

    private void connection(HttpConnection c) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            metrics.refused("connection-limit");
            c.close();
            return;
        }
        c.closeHandler(v -> connections.decrementAndGet());
    }

    /** Connections open now. */
    public int connections() {
        return connections.get();
    }

    /** Every HTTP route served, as {@code METHOD /path/{param}} (the API docs are checked against it). */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null) {
                continue;
            }
            for (HttpMethod m : r.methods()) {
                out.add(m.name() + " " + r.getPath().replaceAll(":(\\w+)", "{$1}"));
            }
        }
        out.add("GET /api/v1/machines/{id}/stream");
        return out;
    }

    public int actualPort() {
        return server.actualPort();
    }
}
