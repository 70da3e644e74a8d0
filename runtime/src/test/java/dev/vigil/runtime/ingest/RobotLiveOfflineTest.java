package dev.vigil.runtime.ingest;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Scoring;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.runtime.HttpVerticle;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.RobotSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A robot's frames streamed over real HTTP into the service are cut into the same motion-cycle windows and
 * given the same assessments as `vigil score` gives the recording of the same run: one code path.
 */
@Tag("slow")
class RobotLiveOfflineTest {
    @TempDir
    Path tmp;

    @Test
    void theLivePathAndOfflineScoringAssessARobotAlike() throws Exception {
        RobotSpec spec = RobotSpec.defaults("robot-l");
        Path healthy = tmp.resolve("healthy");
        Simulation.builder(spec).lifeDurationS(600).seed(61).build().writeRecording(healthy, b -> { });
        Path zip = tmp.resolve("m.zip");
        new Trainer(TrainOptions.of(List.of(healthy)), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        Bundle bundle = Bundle.read(zip);
        double hop = bundle.model().spec().hopSeconds();

        // the run starts on the service's window grid (phase 0), so that its windows are the recording's
        long hopMillis = Math.round(hop * 1000);
        Instant start = Instant.ofEpochMilli(Math.floorDiv(Instant.parse("2026-12-02T00:00:00Z").toEpochMilli(), hopMillis)
                * hopMillis);
        double life = 8 * 3600;
        Simulation.Builder run = Simulation.builder(spec).lifeDurationS(life).speedup(life / 240).seed(62).start(start)
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, life / 4, 3 * life / 4, Progression.EXPONENTIAL, 1, null, 2));
        Path recording = tmp.resolve("run");
        run.build().writeRecording(recording, b -> { });
        List<Assessment> offline = new ArrayList<>();
        Scoring.run(bundle.model(), recording, null, (o, a) -> offline.add(a));

        Vertx vertx = Vertx.vertx();
        try {
            MachineStream machine = new MachineStream("robot-l", bundle.model(), 0.2);
            HttpVerticle v = HttpVerticle.ingestOnly("127.0.0.1", 0, Map.of("robot-l", machine), 1 << 20, 16);
            vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            for (Frame f : SecondFrames.of(run.build())) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.actualPort()
                                + "/api/v1/machines/robot-l/frames")).POST(HttpRequest.BodyPublishers.ofByteArray(
                                FrameCodec.encode(f))).header("content-type", "application/octet-stream").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            }
            List<Assessment> live = machine.view().recent(-1);

            assertThat(offline).as("offline windows").hasSizeGreaterThan(90);
            assertThat(offline.stream().anyMatch(Assessment::alarm)).as("the worn joint alarms").isTrue();
            // the live stream ends where the last complete window ends; the recording may hold one more
            assertThat(live.size()).isBetween(offline.size() - 1, offline.size());
            for (int i = 0; i < live.size(); i++) {
                Assessment a = live.get(i);
                Assessment b = offline.get(i);
                assertThat(a.index()).isEqualTo(b.index());
                assertThat(a.level()).as("window %d", i).isEqualTo(b.level());
                assertThat(a.alarm()).as("window %d", i).isEqualTo(b.alarm());
                if (!Double.isNaN(b.score())) {
                    assertThat(a.score()).as("window %d", i).isCloseTo(b.score(), within(1e-6 * Math.max(1, b.score())));
                    assertThat(a.hypothesis().fault()).as("window %d", i).isEqualTo(b.hypothesis().fault());
                }
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
