package dev.vigil.runtime.security;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens and roles over TLS against the real server: 401 without a known token, 403 outside the role. */
@Tag("slow")
class SecurityEndToEndTest {
    @TempDir
    static Path tmp;
    static Vertx vertx;
    static VigilServer server;
    static HttpClient https;
    static Api anonymous;
    static byte[] frame7;
    static byte[] frame8;

    @BeforeAll
    static void start() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("models/m.zip"));
        Path p12 = tmp.resolve("tls/server.p12");
        Files.createDirectories(p12.getParent());
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "vigil", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http:
                  host: 127.0.0.1
                  port: 0
                  tls: {keyStore: tls/server.p12, password: changeit}
                storage: {path: data/vigil.db}
                machines:
                  - {id: spindle-7, model: models/m.zip}
                  - {id: spindle-8, model: models/m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw-7", "device", "gw7", "spindle-7")
                + Api.tokenEntry("anna", "engineer", "anna")
                + Api.tokenEntry("platform", "scheduler", "platform")
                + Api.tokenEntry("root", "admin", "root"));
        vertx = Vertx.vertx();
        RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
        server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
        https = HttpClient.newBuilder().sslContext(trusting(p12)).build();
        anonymous = new Api(https, "https://127.0.0.1:" + server.port(), null);
        Frame f = Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(1).seed(1)
                .start(java.time.Instant.now()).build().frames().next();
        frame7 = FrameCodec.encode(f);
        frame8 = FrameCodec.encode(new Frame("spindle-8", f.channel(), f.startNanos(), f.sampleRateHz(), f.samples()));
    }

    /** A client that trusts exactly the server's self-signed certificate. */
    private static SSLContext trusting(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("vigil", ks.getCertificate("vigil"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().await(20, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void oddMethodsDoNotGrowTheMetrics() throws Exception {
        Api root = anonymous.as("root");
        for (int i = 0; i < 100; i++) {
            root.send(root.request("/api/v1/alerts").method("X" + i, java.net.http.HttpRequest.BodyPublishers.noBody()));
        }
        int before = root.get("/metrics").body().length();
        for (int batch = 100; batch < 10_000; batch += 100) {
            java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (int i = batch; i < batch + 100; i++) {
                sent.add(root.http().sendAsync(root.request("/api/v1/alerts").method("X" + i,
                        java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var r : sent) {
                assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isBetween(400, 499);
            }
        }
        assertThat(root.get("/metrics").body().length()).as("/metrics after 10,000 odd methods, bytes")
                .isLessThan(before + 20_000);
    }

    @Test
    void missingOrUnknownTokensGet401AndRevealNothing() throws Exception {
        for (Api caller : new Api[]{anonymous, anonymous.as("guess"), anonymous.as("")}) {
            for (String path : new String[]{"/api/v1/alerts", "/api/v1/machines/spindle-7", "/api/v1/machines/nope"}) {
                HttpResponse<String> r = caller.get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                assertThat(r.body()).doesNotContain("spindle", "nope");
            }
            assertThat(caller.post("/api/v1/machines/spindle-7/frames", frame7).statusCode()).isEqualTo(401);
        }
        assertThat(anonymous.get("/health").statusCode()).as("liveness probes need no token").isEqualTo(200);
        // the dashboard's page is public, runs only its own scripts and is never framed
        HttpResponse<String> page = anonymous.get("/dashboard/index.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("script-src 'self'", "frame-ancestors 'none'"));
    }

    @Test
    void eachRoleDoesWhatItMayAndNoMore() throws Exception {
        Api device = anonymous.as("gw7");
        Api engineer = anonymous.as("anna");
        Api scheduler = anonymous.as("platform");
        Api admin = anonymous.as("root");
        assertThat(device.post("/api/v1/machines/spindle-7/frames", frame7).statusCode()).isEqualTo(202);
        assertThat(device.post("/api/v1/machines/spindle-8/frames", frame8).statusCode()).as("not its machine").isEqualTo(403);
        assertThat(device.get("/api/v1/alerts").statusCode()).isEqualTo(403);
        assertThat(device.get("/api/v1/machines/spindle-7").statusCode()).isEqualTo(403);

        assertThat(engineer.get("/api/v1/alerts").statusCode()).isEqualTo(200);
        assertThat(engineer.get("/api/v1/machines/spindle-7").statusCode()).isEqualTo(200);
        assertThat(engineer.post("/api/v1/machines/spindle-7/frames", frame7).statusCode()).isEqualTo(403);
        assertThat(engineer.post("/api/v1/alerts/12345/ack", "{\"by\":\"anna\"}").statusCode()).isEqualTo(404);

        assertThat(scheduler.get("/api/v1/alerts").statusCode()).isEqualTo(200);
        assertThat(scheduler.post("/api/v1/alerts/12345/ack", "{\"by\":\"x\"}").statusCode()).isEqualTo(403);

        assertThat(admin.post("/api/v1/machines/spindle-8/frames", frame8).statusCode()).isEqualTo(202);
        assertThat(admin.get("/api/v1/alerts").statusCode()).isEqualTo(200);
    }

    @Test
    void webSocketStreamsAreCheckedAtTheHandshake() throws Exception {
        URI uri7 = URI.create("wss://127.0.0.1:" + server.port() + "/api/v1/machines/spindle-7/stream");
        URI uri8 = URI.create("wss://127.0.0.1:" + server.port() + "/api/v1/machines/spindle-8/stream");
        WebSocket.Listener quiet = new WebSocket.Listener() { };
        assertThatThrownBy(() -> https.newWebSocketBuilder().buildAsync(uri7, quiet).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> https.newWebSocketBuilder().header("Authorization", "Bearer gw7").buildAsync(uri8, quiet).join())
                .cause().satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
        WebSocket ws = https.newWebSocketBuilder().header("Authorization", "Bearer gw7").buildAsync(uri7, quiet)
                .get(10, TimeUnit.SECONDS);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void tokenConfigurationMistakesAreNamed() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("bad-auth.yaml"), """
                machines:
                  - {id: m1, model: m.zip}
                auth:
                  tokens:
                    - {name: gw, role: device, sha256: "0123"}
                    - {name: gw, role: boss, sha256: %s}
                    - {name: x, role: device, sha256: %s, machines: [m9]}
                """.formatted(Tokens.sha256("a"), Tokens.sha256("b")));
        assertThatThrownBy(() -> ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS))
                .hasMessageContaining("auth.tokens[0].sha256: expected 64 lower-case hex digits")
                .hasMessageContaining("auth.tokens[0].machines: a device token must list")
                .hasMessageContaining("auth.tokens[1].name: duplicate token name 'gw'")
                .hasMessageContaining("auth.tokens[1].role: 'boss' is not one of")
                .hasMessageContaining("auth.tokens[2].machines: unknown machine 'm9'");
    }
}
