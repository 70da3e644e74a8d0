package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestHeap;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies are read only after the caller is known to be allowed, and never whole into the heap: four parallel 250 MB
 * model uploads with a monitor's token, while a gateway streams, leave the old generation where it was (before, the
 * body handler buffered each upload before the role check: a gigabyte); a gateway's token for another machine is
 * refused before its frame is read, and a body over the route's limit is refused from its declared length.
 */
@Tag("slow")
class BodyLimitsEndToEndTest {
    static final long UPLOAD = 250L << 20;

    @TempDir
    Path tmp;

    /** {@code n} bytes of zeros, produced as they are sent (the client must not hold them either). */
    private static InputStream zeros(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 0);
                left -= k;
                return k;
            }
        };
    }

    @Test
    void bodiesAreReadOnlyAfterAuthorisationAndNeverWholeIntoTheHeap() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                scoring: {maxSamplesPerFrame: 65536}
                machines:
                  - {id: spindle-7, model: m.zip}
                  - {id: spindle-8, model: m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw-7", "device", "gw7", "spindle-7") + Api.tokenEntry("gw-8", "device", "gw8", "spindle-8")
                + Api.tokenEntry("prometheus", "monitor", "mon") + Api.tokenEntry("root", "admin", "root"));
        try (TestServer running = TestServer.start(yaml)) {
            Vertx vertx = running.vertx();
            VigilServer server = running.server();
            Api gw = new Api("http://127.0.0.1:" + server.port(), "gw7");

            System.gc();
            long baseline = TestHeap.oldGen();
            AtomicLong peak = new AtomicLong(baseline);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    peak.accumulateAndGet(TestHeap.oldGen(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            List<CompletableFuture<Object>> uploads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpRequest upload = gw.as("mon").request("/api/v1/machines/spindle-7/model")
                        .header("content-type", "application/zip")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                () -> zeros(UPLOAD)), UPLOAD)).build();
                // the service answers 403 at once; the client may still be sending and see the connection closed
                uploads.add(gw.http().sendAsync(upload, HttpResponse.BodyHandlers.ofString())
                        .handle((r, e) -> r != null ? (Object) r.statusCode() : e));
            }
            // meanwhile the gateway streams and is scored
            long start = System.currentTimeMillis() * 1_000_000L - 8_000_000_000L;
            int windows = 0;
            for (Frame f : SecondFrames.live("spindle-7", Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(8)
                    .seed(1).build(), start)) {
                HttpResponse<String> r = gw.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(f));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                windows += new io.vertx.core.json.JsonObject(r.body()).getJsonArray("windows").size();
            }
            assertThat(windows).isGreaterThan(0);
            for (CompletableFuture<Object> u : uploads) {
                Object outcome = u.get(120, TimeUnit.SECONDS);
                if (outcome instanceof Integer status) {
                    assertThat(status).isEqualTo(403);
                } else {
                    assertThat((Throwable) outcome).hasRootCauseInstanceOf(IOException.class);
                }
            }
            sampling.set(false);
            sampler.join();
            assertThat(peak.get() - baseline).as("old generation growth while 4 x 250 MB were refused, bytes")
                    .isLessThan(64L << 20);

            // a gateway's token for another machine: refused before its (large) frame is read
            Frame big = new Frame("spindle-7", "accel_x", System.currentTimeMillis() * 1_000_000L, 25_600, new float[65_536]);
            HttpResponse<String> other = gw.as("gw8").post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(big));
            assertThat(other.statusCode()).isEqualTo(403);
            // over a WebSocket, a frame as large as the limit is a message like any other (the default 64 kB closed
            // the socket): the answer names the frame's problem (it is for another machine)
            java.util.concurrent.CompletableFuture<String> answer = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer gw7").buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port()
                            + "/api/v1/machines/spindle-7/stream"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                                                                               boolean last) {
                            answer.complete(data.toString());
                            return null;
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code,
                                                                                String reason) {
                            answer.complete("closed " + code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            Frame largest = new Frame("spindle-8", "accel_x", System.currentTimeMillis() * 1_000_000L, 25_600,
                    new float[65_536]);
            ws.sendBinary(java.nio.ByteBuffer.wrap(FrameCodec.encode(largest)), true).get(10, TimeUnit.SECONDS);
            assertThat(answer.get(10, TimeUnit.SECONDS)).contains("frame is for machine 'spindle-8'");
            ws.abort();
            // a body over the route's limit: 413 from its declared length (4 bytes a sample, plus the header)
            HttpResponse<String> tooBig = gw.send(gw.request("/api/v1/machines/spindle-7/frames")
                    .header("content-type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> zeros(4L * 65_536 + 1024)), 4L * 65_536 + 1024)));
            assertThat(tooBig.statusCode()).isEqualTo(413);
            assertThat(tooBig.body()).contains("larger than this route's limit");
            // an admin's upload over the bundle limit is cut off at the limit, not buffered
            Api root = gw.as("root");
            HttpResponse<String> huge = root.send(root.request("/api/v1/machines/spindle-7/model")
                    .header("content-type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> zeros(300L << 20)), 300L << 20)));
            assertThat(huge.statusCode()).isEqualTo(413);
            assertThat(root.post("/api/v1/machines/spindle-9/model", new byte[10]).statusCode()).as("unknown machine")
                    .isEqualTo(404);
        }
    }
}
