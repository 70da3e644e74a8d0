package dev.vigil.runtime.security;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestHeap;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile or broken client on the plant network, interleaved with real streams: malformed, truncated and
 * oversized frames, wrong clocks, numbers no float holds, another tenant's reads and actions, unknown machines and
 * foreign tokens, between the frames of a machine with a growing imbalance and two healthy ones. Every hostile
 * request gets its named 4xx; the fault is alerted exactly once, the healthy machines stay quiet, the service
 * answers health throughout and the heap's old generation stays bounded.
 */
@Tag("slow")
class HostileClientEndToEndTest {
    @TempDir
    Path tmp;

    private static List<Frame> live(String machine, long seed, int seconds, FaultSpec fault, long startNanos) {
        // the three are machines of one type: the same spindle's physics (and model), each with its own run
        Simulation.Builder b = Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(seconds).seed(seed);
        if (fault != null) {
            b = b.fault(fault);
        }
        return SecondFrames.live(machine, b.build(), startNanos);
    }

    /** A hostile request and the status it must get. */
    private record Attack(String name, Supplier<HttpResponse<String>> send, int... expected) {
    }

    /** The id of the machine's newest alert, or one that does not exist. */
    private static long newestAlert(Api root, String machine) {
        JsonArray alerts = new JsonObject(call(root, root.request("/api/v1/alerts?open=false&machine=" + machine).GET())
                .body()).getJsonArray("alerts");
        return alerts.isEmpty() ? 999_999 : alerts.getJsonObject(0).getLong("id");
    }

    private static HttpResponse<String> call(Api api, HttpRequest.Builder b) {
        try {
            return api.send(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hostileRequestsBetweenRealStreamsChangeNothingButTheirOwnAnswers() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                scoring: {maxSamplesPerFrame: 65536}
                machines:
                  - {id: spindle-7, tenant: acme, model: m.zip}
                  - {id: spindle-8, tenant: acme, model: m.zip}
                  - {id: spindle-9, tenant: beta, model: m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", "spindle-7", "spindle-8", "spindle-9")
                + Api.tokenEntry("gw-9", "device", "gw9", "spindle-9")
                + "    - {name: bea, role: engineer, tenants: [beta], sha256: " + Tokens.sha256("bea") + "}\n"
                + Api.tokenEntry("root", "admin", "root"));
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api root = new Api("http://127.0.0.1:" + server.port(), "root");
            Api gw = root.as("gw");
            int seconds = 40;
            long start = System.currentTimeMillis() * 1_000_000L - seconds * 1_000_000_000L;
            List<Frame> faulty = live("spindle-7", 11, seconds,
                    new FaultSpec(FaultType.IMBALANCE, 8, 10, Progression.LINEAR, 1, null, 0), start);
            List<Frame> healthy8 = live("spindle-8", 12, seconds, null, start);
            List<Frame> healthy9 = live("spindle-9", 13, seconds, null, start);
            byte[] valid = FrameCodec.encode(faulty.get(0));
            String frames7 = "/api/v1/machines/spindle-7/frames";
            List<Attack> attacks = List.of(
                    new Attack("garbage", () -> call(gw, gw.request(frames7).POST(HttpRequest.BodyPublishers
                            .ofString("GET / HTTP/1.1\r\n\r\n"))), 400),
                    new Attack("truncated", () -> call(gw, gw.request(frames7).POST(HttpRequest.BodyPublishers
                            .ofByteArray(Arrays.copyOf(valid, valid.length / 2)))), 400),
                    new Attack("oversized", () -> call(gw, gw.request(frames7).POST(HttpRequest.BodyPublishers
                            .ofByteArray(new byte[4 * 65_536 + 2048]))), 413),
                    new Attack("a year ahead", () -> call(gw, gw.request(frames7).POST(HttpRequest.BodyPublishers
                            .ofByteArray(FrameCodec.encode(new Frame("spindle-7", "accel_x", System.currentTimeMillis()
                                    * 1_000_000L + 365L * 86_400_000_000_000L, 25_600, new float[1024]))))), 422),
                    new Attack("int64 extreme", () -> call(gw, gw.request(frames7).POST(HttpRequest.BodyPublishers
                            .ofByteArray(FrameCodec.encode(new Frame("spindle-7", "accel_x", Long.MIN_VALUE, 25_600,
                                    new float[16]))))), 422),
                    new Attack("beyond float", () -> call(gw, gw.request(frames7).header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"frames\": [{\"channel\": \"accel_x\", "
                                    + "\"start\": \"" + Instant.now() + "\", \"sampleRateHz\": 25600, \"samples\": [1e39]}]}"))),
                            400),
                    new Attack("bad readings", () -> call(gw, gw.request("/api/v1/machines/spindle-8/readings")
                            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"rows\": [{\"time\": \"x\"}]}"))), 400),
                    new Attack("foreign token", () -> call(gw, root.as("gw9").request(frames7)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(valid))), 403),
                    // a device may not even learn whether a machine exists: 403 like any machine not its own
                    new Attack("unknown machine", () -> call(gw, gw.request("/api/v1/machines/nope/frames")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(valid))), 403),
                    new Attack("unknown machine, admin", () -> call(gw, root.request("/api/v1/machines/nope/frames")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(valid))), 404),
                    new Attack("other tenant reads", () -> call(gw, root.as("bea").request("/api/v1/machines/spindle-7")
                            .GET()), 404),
                    new Attack("other tenant acts", () -> call(gw, root.as("bea").request("/api/v1/alerts/"
                            + newestAlert(root, "spindle-7") + "/ack").header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))), 404),
                    new Attack("no token", () -> call(gw, root.as(null).request("/api/v1/alerts").GET()), 401));

            System.gc();
            long baseline = TestHeap.oldGen();
            long peak = baseline;
            List<String> wrong = new ArrayList<>();
            int next = 0;
            for (int i = 0; i < faulty.size(); i++) {
                for (List<Frame> stream : List.of(faulty, healthy8, healthy9)) {
                    Frame f = stream.get(i);
                    HttpResponse<String> r = gw.post("/api/v1/machines/" + f.machineId() + "/frames", FrameCodec.encode(f));
                    assertThat(r.statusCode()).as(f.machineId() + ": " + r.body()).isEqualTo(202);
                }
                Attack a = attacks.get(next++ % attacks.size());
                HttpResponse<String> r = a.send().get();
                if (Arrays.stream(a.expected()).noneMatch(s -> s == r.statusCode())) {
                    wrong.add(a.name() + ": " + r.statusCode() + " " + r.body());
                }
                if (r.statusCode() >= 400 && r.statusCode() != 413) {
                    assertThat(new JsonObject(r.body()).getString("error")).as(a.name()).isNotBlank();
                }
                if (i % 20 == 0) {
                    assertThat(root.get("/health/ready").statusCode()).as("ready throughout").isEqualTo(200);
                    peak = Math.max(peak, TestHeap.oldGen());
                }
            }
            assertThat(wrong).as("hostile requests answered otherwise than expected").isEmpty();
            assertThat(next).as("hostile requests sent").isGreaterThan(3 * attacks.size());

            JsonArray machine7 = new JsonObject(root.get("/api/v1/alerts?machine=spindle-7&category=machine&open=false")
                    .body()).getJsonArray("alerts");
            assertThat(machine7).as("the imbalance, alerted exactly once: " + machine7.encode()).hasSize(1);
            assertThat(machine7.getJsonObject(0).getString("fault")).isEqualTo("imbalance");
            assertThat(machine7.getJsonObject(0).getBoolean("acknowledged")).as("nobody of beta acknowledged it").isFalse();
            for (String quiet : List.of("spindle-8", "spindle-9")) {
                assertThat(new JsonObject(root.get("/api/v1/alerts?machine=" + quiet + "&open=false").body())
                        .getJsonArray("alerts")).as(quiet + " stays quiet").isEmpty();
            }
            assertThat(peak - baseline).as("old generation growth, bytes").isLessThan(128L << 20);
        }
    }
}
