package dev.vigil.runtime;

import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: the real service in this process, from a configuration file as an operator writes it, loaded and
 * started on its own Vert.x; closing stops the service and its Vert.x, whatever the test did.
 */
public final class TestServer implements AutoCloseable {
    /** The lines most end-to-end configurations start with: loopback on any free port, the store, no recordings. */
    public static final String LOCAL = """
            http: {host: 127.0.0.1, port: 0}
            storage: {path: data/vigil.db}
            recording: {enabled: false}
            """;

    private final Vertx vertx;
    private final RuntimeConfig config;
    private final VigilServer server;

    private TestServer(Vertx vertx, RuntimeConfig config, VigilServer server) {
        this.vertx = vertx;
        this.config = config;
        this.server = server;
    }

    public static TestServer start(Path yaml) throws Exception {
        return start(yaml, new VertxOptions());
    }

    /** @param options the Vert.x options (a stricter blocked-thread checker, say) */
    public static TestServer start(Path yaml, VertxOptions options) throws Exception {
        Vertx vertx = Vertx.vertx(options);
        try {
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            return new TestServer(vertx, config, server);
        } catch (Exception | Error e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            throw e;
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public RuntimeConfig config() {
        return config;
    }

    public VigilServer server() {
        return server;
    }

    /** A client of this service with a bearer token (null: none). */
    public Api api(String token) {
        return new Api("http://127.0.0.1:" + server.port(), token);
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
