package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.format.TabularCsvReader;
import dev.vigil.format.TabularRow;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.stream.FrameCodec;
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
 * A machine whose historian only has 1 Hz aggregates: a tabular model trained on the sample CSV's healthy rows,
 * then the whole file (healthy, then a growing inner-race fault) sent as JSON readings to the real server, which
 * follows drift (scoring.followDrift): the guarded follower must not learn the fault away.
 */
class TabularReadingsTest {
    static final Path CSV = Path.of("..", "training-data", "samples", "cnc-bearing-inner-1hz.csv");
    static final List<String> CONTEXT = List.of("speed_rpm_mean", "load_pct_mean", "tool_mean", "mode_mean", "supply_hz_mean");

    @TempDir
    Path tmp;

    @Test
    void readingsAreScoredByATabularModelAndBadRowsAreNamedWithoutLosingTheRowsBeforeThem() throws Exception {
        Path healthy = tmp.resolve("healthy.csv");
        List<String> lines = Files.readAllLines(CSV);
        Files.write(healthy, lines.subList(0, 301));
        new Trainer(TrainOptions.of(List.of(healthy)).withInput(new InputOptions(null, List.of("severity"), CONTEXT,
                "fault", null)), (e, m, t, v) -> { }, s -> { }).trainTo(tmp.resolve("models/hist.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                scoring: {followDrift: true, catchUpHours: 87600}   # a historian's January, sent now
                machines:
                  - {id: lathe-3, model: models/hist.zip}
                auth: {disabled: true}
                """);
        List<JsonObject> rows = new ArrayList<>();
        try (TabularCsvReader r = TabularCsvReader.open(CSV)) {
            List<String> names = r.header().valueColumns();
            TabularRow row;
            while ((row = r.next()) != null) {
                JsonObject values = new JsonObject();
                JsonObject context = new JsonObject();
                for (int i = 0; i < names.size(); i++) {
                    String n = names.get(i);
                    if (n.equals("severity")) {
                        continue;
                    }
                    (CONTEXT.contains(n) ? context : values).put(n, row.values()[i]);
                }
                rows.add(new JsonObject().put("time", row.time().toString()).put("values", values).put("context", context));
            }
        }
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api api = new Api("http://127.0.0.1:" + server.port(), null);
            List<JsonObject> assessed = new ArrayList<>();
            // a batch whose row 40 is stamped back in time: rows 0..39 are scored (their windows in the 422), and the
            // corrected batch sent again scores rows 40..59 once, taking 0..39 as repeats
            JsonArray first = new JsonArray(new ArrayList<>(rows.subList(0, 60)));
            first.set(40, rows.get(40).copy().put("time", rows.get(5).getString("time")));
            HttpResponse<String> partly = api.post("/api/v1/machines/lathe-3/readings",
                    new JsonObject().put("rows", first).encode());
            assertThat(partly.statusCode()).as(partly.body()).isEqualTo(422);
            JsonObject answer = new JsonObject(partly.body());
            assertThat(answer.getString("error")).contains("rows[40].time", "rows[0..39] were taken");
            assertThat(answer.getInteger("taken")).isEqualTo(40);
            answer.getJsonArray("windows").forEach(w -> assessed.add((JsonObject) w));
            assertThat(assessed).hasSize(40);
            HttpResponse<String> retried = api.post("/api/v1/machines/lathe-3/readings",
                    new JsonObject().put("rows", new JsonArray(rows.subList(0, 60))).encode());
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
            new JsonObject(retried.body()).getJsonArray("windows").forEach(w -> assessed.add((JsonObject) w));
            assertThat(assessed).hasSize(60);
            for (int from = 60; from < rows.size(); from += 60) {
                HttpResponse<String> r = api.post("/api/v1/machines/lathe-3/readings", new JsonObject()
                        .put("rows", new JsonArray(rows.subList(from, Math.min(rows.size(), from + 60)))).encode());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                new JsonObject(r.body()).getJsonArray("windows").forEach(w -> assessed.add((JsonObject) w));
            }
            assertThat(assessed).hasSize(rows.size());
            long healthyAlarms = assessed.subList(0, 300).stream().filter(w -> w.getBoolean("alarm")).count();
            long faultAlarms = assessed.subList(900, 1200).stream().filter(w -> w.getBoolean("alarm")).count();
            assertThat(healthyAlarms).as("the training rows themselves").isZero();
            assertThat(faultAlarms).as("the last five minutes of a grown inner-race fault").isGreaterThan(150);

            JsonObject late = rows.get(10);
            HttpResponse<String> old = api.post("/api/v1/machines/lathe-3/readings",
                    new JsonObject().put("rows", new JsonArray().add(late)).encode());
            assertThat(old.statusCode()).isEqualTo(422);
            assertThat(old.body()).contains("rows[0].time", "is not after the previous reading");
            HttpResponse<String> bad = api.post("/api/v1/machines/lathe-3/readings", "{\"rows\": [{\"time\": "
                    + "\"2027-01-01T00:00:00Z\", \"values\": {\"accel_x_rms\": \"high\"}}]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("rows[0].values.accel_x_rms: expected a number or null");
            HttpResponse<String> frame = api.post("/api/v1/machines/lathe-3/frames", FrameCodec.encode(
                    new Frame("lathe-3", "accel_x", System.currentTimeMillis() * 1_000_000L, 25_600, new float[10])));
            assertThat(frame.statusCode()).isEqualTo(422);
            assertThat(frame.body()).contains("has a tabular model: send readings");
        }
    }
}
