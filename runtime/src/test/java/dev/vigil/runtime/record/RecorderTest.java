package dev.vigil.runtime.record;

import dev.vigil.domain.Frame;
import dev.vigil.format.RecordingReader;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.config.RecordingSettings;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Captures in the recording format, bit-exact to what was streamed, and a quota that keeps the newest. */
class RecorderTest {
    @TempDir
    Path tmp;

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.toString().contains(".spool"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void capturesAreExactAndTheQuotaDeletesHalfWrittenOnesThenTheOldestHealthyOnes() throws Exception {
        var spec = Bundle.read(TestModels.cnc("spindle-7")).model().spec();
        Simulation sim = Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(120).seed(9).build();
        List<Frame> frames = SecondFrames.of(sim);
        long t0 = frames.get(0).startNanos() / 1_000_000;
        // a 4 s capture of this machine is ~1.7 MB; the quota holds three of them
        RecordingSettings settings = new RecordingSettings(tmp, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(15), Duration.ofSeconds(4), 5L << 20);
        // a capture a crash left half-written (3 MB): deleted and not counted as a capture
        Path partial = Files.createDirectories(tmp.resolve("spindle-7").resolve("healthy-2026-01-01T00-00-00Z.partial"));
        Files.write(partial.resolve("accel_x.f32"), new byte[3 << 20]);
        try (Recorder r = new Recorder(settings, Map.of("spindle-7", new Recorder.Source("cnc", spec)))) {
            boolean raised = false;
            for (Frame f : frames) {
                if (!raised && f.startNanos() / 1_000_000 >= t0 + 100_000) {
                    r.alertRaised("spindle-7", 42, Instant.ofEpochMilli(t0 + 100_000));
                    raised = true;
                }
                r.append("spindle-7", List.of(f), !raised);
            }
            r.awaitWrites(Duration.ofSeconds(60));
            List<Path> captures = r.captures("spindle-7");
            assertThat(captures).extracting(p -> p.getFileName().toString())
                    .anySatisfy(n -> assertThat(n).startsWith("alert-42-"));
            assertThat(size(tmp)).as("within the quota").isLessThanOrEqualTo(5L << 20);
            assertThat(partial).as("the half-written capture").doesNotExist();
            assertThat(captures).as("the oldest healthy samples went first").hasSizeLessThan(8)
                    .noneSatisfy(p -> assertThat(p.getFileName().toString()).contains(Instant.ofEpochMilli(t0 + 15_000)
                            .toString().replace(':', '-')));

            Path alert = captures.stream().filter(p -> p.getFileName().toString().startsWith("alert-")).findFirst().orElseThrow();
            RecordingReader rec = RecordingReader.open(alert);
            assertThat(rec.meta().start()).isEqualTo(Instant.ofEpochMilli(t0 + 98_000));
            float[] x = rec.read("accel_x", 0, 4 * 25_600);
            assertThat(x).hasSize((int) (4 * 25_600));
            // the sample 98 s into the stream, exactly as it was sent
            Frame at98 = frames.stream().filter(f -> f.channel().equals("accel_x")
                    && f.startNanos() / 1_000_000 == t0 + 98_000).findFirst().orElseThrow();
            assertThat(x[0]).isEqualTo(at98.samples()[0]);
            assertThat(x[25_599]).isEqualTo(at98.samples()[25_599]);
        }
    }
}
