package dev.vigil.runtime.security;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection limits against the real server: event streams beyond {@code http.maxEventStreams} are 503 with
 * Retry-After (a closed one frees its place); connections beyond {@code http.maxConnections} are closed at once
 * (a closed one frees its place); a WebSocket client that sends but does not read its answers is no longer read
 * from once its answers back up (the service does not buffer them without bound), and gets every answer once it
 * reads.
 */
@Tag("slow")
class ConnectionLimitsEndToEndTest {
    @TempDir
    Path tmp;

    private VigilServer start(Vertx vertx) throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0, maxConnections: 6, maxEventStreams: 2}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: spindle-7, model: m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("anna", "engineer", "anna") + Api.tokenEntry("gw", "device", "gw", "spindle-7"));
        RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
        return new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
    }

    /** A raw keep-alive connection that has been served one request (so the server has taken it). */
    private static Socket served(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] head = s.getInputStream().readNBytes(12);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return s;
    }

    @Test
    void eventStreamsAndConnectionsAreCappedAndAClientThatDoesNotReadIsNotBuffered() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            VigilServer server = start(vertx);
            int port = server.port();
            Api anna = new Api("http://127.0.0.1:" + port, "anna");

            // two streams take both places; a third is 503, until one closes
            HttpClient streaming = HttpClient.newHttpClient();
            List<HttpResponse<Stream<String>>> open = new ArrayList<>();
            for (String path : List.of("/api/v1/alerts/events", "/api/v1/availability/events")) {
                HttpResponse<Stream<String>> r = streaming.send(anna.request(path).GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(r.statusCode()).isEqualTo(200);
                open.add(r);
            }
            HttpResponse<String> third = anna.get("/api/v1/alerts/events");
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(new JsonObject(third.body()).getString("error")).contains("http.maxEventStreams");
            open.get(0).body().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                HttpResponse<Stream<String>> r = streaming.send(anna.request("/api/v1/alerts/events").GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                boolean ok = r.statusCode() == 200;
                r.body().close();
                return ok;
            });
            open.get(1).body().close();

            // connections: up to six are served (counting the clients' pooled ones), the next is closed without an
            // answer, and a closed one frees its place (retried: a pooled connection may close meanwhile)
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                List<Socket> mine = new ArrayList<>();
                try {
                    for (int i = server.openConnections(); i < 6; i++) {
                        mine.add(served(port));
                    }
                    assertThat(server.openConnections()).isEqualTo(6);
                    try (Socket seventh = new Socket("127.0.0.1", port)) {
                        seventh.setSoTimeout(5000);
                        try {
                            seventh.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                            if (seventh.getInputStream().read() != -1) {
                                return false;
                            }
                        } catch (IOException reset) {
                            // closed before the request was written, or reset: refused either way
                        }
                    }
                    mine.get(0).close();
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                        served(port).close();
                        return true;
                    });
                    return true;
                } finally {
                    for (Socket s : mine) {
                        s.close();
                    }
                }
            });

            // a WebSocket client that only sends: each message (a frame for another machine) earns an error answer
            // it never reads; the service stops reading it once those back up, and delivers them all when it reads
            AtomicLong answers = new AtomicLong();
            WebSocket[] socket = new WebSocket[1];
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer gw")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/v1/machines/spindle-7/stream"),
                            new WebSocket.Listener() {
                                @Override
                                public void onOpen(WebSocket w) {
                                    socket[0] = w; // no request(): nothing is read until the test says so
                                }

                                @Override
                                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                    if (last) {
                                        answers.incrementAndGet();
                                    }
                                    w.request(1);
                                    return null;
                                }
                            }).get(10, TimeUnit.SECONDS);
            byte[] other = FrameCodec.encode(new Frame("x".repeat(128), "accel_x", System.currentTimeMillis() * 1_000_000L,
                    25_600, new float[1]));
            int limit = 400_000;
            long sent = 0;
            boolean stalled = false;
            var pending = ws.sendBinary(ByteBuffer.wrap(other), true);
            while (sent < limit) {
                try {
                    pending.get(3, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    stalled = true;
                    break;
                }
                sent++;
                pending = ws.sendBinary(ByteBuffer.wrap(other), true);
            }
            assertThat(stalled).as("the service stopped reading a client that does not read (sent %d)", sent).isTrue();
            assertThat(answers.get()).isZero();
            socket[0].request(1);
            pending.get(60, TimeUnit.SECONDS);
            long total = sent + 1;
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.get() == total);
            assertThat(anna.get("/health/ready").statusCode()).isEqualTo(200);
            ws.abort();
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
