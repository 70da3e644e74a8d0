package dev.vigil.runtime.ingest;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.HttpVerticle;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.score.AssessmentJson;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A simulated spindle streams binary frames over real HTTP into the real service, which scores them live. */
@Tag("slow")
class IngestEndToEndTest {
    @TempDir
    static Path tmp;
    static Vertx vertx;
    static Bundle bundle;
    static final CncSpec SPEC = CncSpec.defaults("cnc-r");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void trainAndStart() throws Exception {
        // half an hour of healthy running in two sessions, as the functional test trains
        bundle = Bundle.read(TestModels.cnc(SPEC, 41, 141));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static HttpVerticle start(Map<String, MachineStream> machines, int maxSamples) throws Exception {
        HttpVerticle v = HttpVerticle.ingestOnly("127.0.0.1", 0, machines, maxSamples, 16);
        vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
        return v;
    }


    private static HttpResponse<String> post(int port, String machine, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/machines/" + machine
                        + "/frames")).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("content-type", "application/octet-stream").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The machine's state as the machines API shows it (that API is tested with the whole server). */
    private static JsonObject state(MachineStream machine) {
        return new JsonObject().put("windows", machine.windows())
                .put("latest", AssessmentJson.of(machine.latest()));
    }

    @Test
    void aFaultedSpindleRaisesAnAlarmWithTheRightHypothesisAndAHealthyOneDoesNot() throws Exception {
        MachineStream faulty = new MachineStream("cnc-r", bundle.model(), 0.2);
        HttpVerticle v = start(Map.of("cnc-r", faulty), 1 << 20);
        double life = 8 * 3600;
        Simulation sim = Simulation.builder(SPEC).lifeDurationS(life).speedup(life / 300).seed(42)
                .fault(new FaultSpec(FaultType.BEARING_OUTER, life / 4, 3 * life / 4, Progression.EXPONENTIAL, 1, null, 0))
                .build();
        boolean alarmed = false;
        for (Frame f : dev.vigil.runtime.SecondFrames.of(sim)) {
            HttpResponse<String> r = post(v.actualPort(), "cnc-r", FrameCodec.encode(f));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            alarmed |= r.body().contains("\"alarm\":true");
        }
        JsonObject s = state(faulty);
        assertThat(alarmed).isTrue();
        assertThat(s.getLong("windows")).isGreaterThan(290);
        JsonObject latest = s.getJsonObject("latest");
        assertThat(latest.getBoolean("alarm")).isTrue();
        assertThat(latest.getJsonObject("hypothesis").getString("fault")).isEqualTo("bearing-outer");

        MachineStream healthy = new MachineStream("cnc-r", bundle.model(), 0.2);
        HttpVerticle h = start(Map.of("cnc-r", healthy), 1 << 20);
        boolean any = false;
        for (Frame f : dev.vigil.runtime.SecondFrames.of(Simulation.builder(SPEC).lifeDurationS(300).seed(43).build())) {
            HttpResponse<String> r = post(h.actualPort(), "cnc-r", FrameCodec.encode(f));
            assertThat(r.statusCode()).isEqualTo(202);
            any |= r.body().contains("\"alarm\":true");
        }
        assertThat(any).as("a healthy spindle raises no alarm").isFalse();
    }

    @Test
    void aWebSocketStreamIsScoredLiveAndBadMessagesAreAnsweredWithoutClosingIt() throws Exception {
        MachineStream faulty = new MachineStream("cnc-r", bundle.model(), 0.2);
        HttpVerticle v = start(Map.of("cnc-r", faulty), 1 << 20);
        // held to the end: Vert.x shuts down a WebSocket client nothing references any more, sockets and all
        io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
        io.vertx.core.http.WebSocket ws = client
                .connect(v.actualPort(), "127.0.0.1", "/api/v1/machines/cnc-r/stream").await(10, TimeUnit.SECONDS);
        java.util.concurrent.CountDownLatch windows = new java.util.concurrent.CountDownLatch(280);
        java.util.concurrent.atomic.AtomicBoolean alarmed = new java.util.concurrent.atomic.AtomicBoolean();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ws.textMessageHandler(text -> {
            JsonObject m = new JsonObject(text);
            if (m.containsKey("error")) {
                errors.add(m.getString("error"));
                return;
            }
            for (Object w : m.getJsonArray("windows")) {
                alarmed.compareAndSet(false, ((JsonObject) w).getBoolean("alarm"));
                windows.countDown();
            }
        });
        ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer("not a frame")).await(10, TimeUnit.SECONDS);
        double life = 8 * 3600;
        Simulation sim = Simulation.builder(SPEC).lifeDurationS(life).speedup(life / 300).seed(44)
                .fault(new FaultSpec(FaultType.IMBALANCE, life / 4, 3 * life / 4, Progression.EXPONENTIAL, 1, null, 0))
                .build();
        for (Frame f : dev.vigil.runtime.SecondFrames.of(sim)) {
            ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(FrameCodec.encode(f))).await(10, TimeUnit.SECONDS);
        }
        assertThat(windows.await(120, TimeUnit.SECONDS)).as("windows scored over the socket").isTrue();
        assertThat(errors).singleElement().asString().contains("VGF1");
        JsonObject s = state(faulty);
        assertThat(alarmed.get()).isTrue();
        assertThat(s.getJsonObject("latest").getJsonObject("hypothesis").getString("fault")).isEqualTo("imbalance");
        ws.close().await(10, TimeUnit.SECONDS);
        client.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void badRequestsGetAStatusAndAReasonAndOtherStreamsCarryOn() throws Exception {
        MachineStream m = new MachineStream("cnc-r", bundle.model(), 0.2);
        HttpVerticle v = start(Map.of("cnc-r", m), 30_000);
        int port = v.actualPort();
        Frame good = new Frame("cnc-r", "accel_x", 1_767_225_600_000_000_000L, 25_600, new float[25_600]);
        byte[] bytes = FrameCodec.encode(good);
        bytes[40] ^= 0x10;
        HttpResponse<String> crc = post(port, "cnc-r", bytes);
        assertThat(crc.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(crc.body()).getString("error")).contains("bad CRC");

        HttpResponse<String> unknown = post(port, "cnc-zz", FrameCodec.encode(good));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown machine 'cnc-zz'");

        HttpResponse<String> big = post(port, "cnc-r", new byte[1_000_000]);
        assertThat(big.statusCode()).isEqualTo(413);

        HttpResponse<String> garbage = post(port, "cnc-r", "hello".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("VGF1");

        HttpResponse<String> rate = post(port, "cnc-r", FrameCodec.encode(new Frame("cnc-r", "accel_x",
                good.startNanos(), 12_800, new float[100])));
        assertThat(rate.statusCode()).isEqualTo(422);
        assertThat(rate.body()).contains("12800.0 Hz");

        assertThat(post(port, "cnc-r", FrameCodec.encode(good)).statusCode()).as("the stream carries on").isEqualTo(202);

        HttpResponse<String> json = postJson(port, "cnc-r", "{\"frames\": [{\"channel\": \"accel_x\", "
                + "\"start\": \"2026-01-01T00:00:01Z\", \"sampleRateHz\": 25600, \"samples\": [0.1, -0.2, null, 0.3]}]}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(202);
        HttpResponse<String> badSample = postJson(port, "cnc-r", "{\"frames\": [{\"channel\": \"accel_x\", "
                + "\"startNanos\": 1767225601000000000, \"sampleRateHz\": 25600, \"samples\": [0.1, \"x\"]}]}");
        assertThat(badSample.statusCode()).isEqualTo(400);
        assertThat(badSample.body()).contains("frames[0].samples[1]: expected a number or null");
        HttpResponse<String> noStart = postJson(port, "cnc-r", "{\"frames\": [{\"channel\": \"accel_x\", "
                + "\"sampleRateHz\": 25600, \"samples\": [1]}]}");
        assertThat(noStart.body()).contains("frames[0]: needs start (ISO-8601) or startNanos");
        assertThat(postJson(port, "cnc-r", "{\"frames\": ").body()).contains("body is not a JSON object");
    }

    private static HttpResponse<String> postJson(int port, String machine, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/machines/" + machine
                        + "/frames")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
