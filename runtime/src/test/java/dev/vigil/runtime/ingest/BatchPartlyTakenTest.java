package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.Twins;
import dev.vigil.runtime.VigilServer;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JSON batch of frames with one frame that does not fit (stamped 20 s back) in its middle: the windows the frames
 * before it completed are scored and answered with the 422, and the corrected batch sent again is accepted, its
 * first part taken as repeats; in the end the machine has exactly the windows, with the same scores, as a machine on
 * the same window grid that got the clean batch at once.
 */
class BatchPartlyTakenTest {
    @TempDir
    Path tmp;

    private static JsonObject json(Frame f) {
        JsonArray samples = new JsonArray(new ArrayList<>(f.samples().length));
        for (float v : f.samples()) {
            samples.add(v);
        }
        return new JsonObject().put("channel", f.channel()).put("startNanos", f.startNanos())
                .put("sampleRateHz", f.sampleRateHz()).put("samples", samples);
    }

    private static List<JsonObject> windows(HttpResponse<String> r) {
        List<JsonObject> out = new ArrayList<>();
        new JsonObject(r.body()).getJsonArray("windows").forEach(w -> out.add((JsonObject) w));
        return out;
    }

    /** What identifies a scored window and its result. */
    private static List<List<Object>> essence(List<JsonObject> windows) {
        return windows.stream().map(w -> List.<Object>of(w.getLong("index"), w.getString("at"),
                w.getValue("score", "none"))).toList();
    }

    @Test
    void aBadFrameLaterInABatchKeepsTheWindowsBeforeItAndTheCorrectedRetryIsTakenOnce() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        String reference = Twins.of("cnc-a", "ref");
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                machines:
                  - {id: cnc-a, model: m.zip}
                  - {id: %s, model: m.zip}
                auth: {disabled: true}
                """.formatted(reference));
        long start = (System.currentTimeMillis() - 10_000) * 1_000_000L;
        List<Frame> frames = SecondFrames.live("cnc-a", Simulation.builder(CncSpec.defaults("spindle-7"))
                .lifeDurationS(4).seed(3).build(), start);
        int channels = (int) frames.stream().map(Frame::channel).distinct().count();
        int bad = 2 * channels + 1;
        JsonArray clean = new JsonArray();
        frames.forEach(f -> clean.add(json(f)));
        JsonArray broken = clean.copy();
        Frame moved = frames.get(bad);
        broken.set(bad, json(new Frame("cnc-a", moved.channel(), moved.startNanos() - 20_000_000_000L,
                moved.sampleRateHz(), moved.samples())));

        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api api = new Api("http://127.0.0.1:" + server.port(), null);

            HttpResponse<String> whole = api.post("/api/v1/machines/" + reference + "/frames",
                    new JsonObject().put("frames", clean).encode());
            assertThat(whole.statusCode()).as(whole.body()).isEqualTo(202);
            List<JsonObject> expected = windows(whole);
            assertThat(expected).hasSizeGreaterThan(2);

            HttpResponse<String> partly = api.post("/api/v1/machines/cnc-a/frames",
                    new JsonObject().put("frames", broken).encode());
            assertThat(partly.statusCode()).as(partly.body()).isEqualTo(422);
            JsonObject answer = new JsonObject(partly.body());
            assertThat(answer.getString("error")).contains("frames[" + bad + "]: ", "late",
                    "frames[0.." + (bad - 1) + "] were taken");
            assertThat(answer.getInteger("taken")).isEqualTo(bad);
            List<JsonObject> got = new ArrayList<>(windows(partly));
            assertThat(got).as("the windows the first two seconds completed").isNotEmpty();

            HttpResponse<String> retried = api.post("/api/v1/machines/cnc-a/frames",
                    new JsonObject().put("frames", clean).encode());
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
            got.addAll(windows(retried));
            assertThat(essence(got)).isEqualTo(essence(expected));
            assertThat(new JsonObject(api.get("/api/v1/machines/cnc-a").body()).getLong("windows"))
                    .isEqualTo(expected.size());
        }
    }
}
