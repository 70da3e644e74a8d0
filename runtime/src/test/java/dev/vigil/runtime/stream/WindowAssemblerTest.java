package dev.vigil.runtime.stream;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.data.RecordingInput;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureStream;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the runtime scores is computed exactly as what training fitted on. */
class WindowAssemblerTest {
    @TempDir
    Path tmp;

    private static Simulation sim() {
        return Simulation.builder(CncSpec.defaults("cnc-s")).lifeDurationS(8).seed(4)
                .fault(new FaultSpec(FaultType.BEARING_INNER, 0, 0, Progression.STEP, 0.3, null, 0)).build();
    }

    private List<Observation> fromRecording(FeatureSpec spec) throws Exception {
        Path dir = tmp.resolve("rec");
        sim().writeRecording(dir, b -> { });
        List<Observation> out = new ArrayList<>();
        RecordingInput.read(dir, new WaveformFeatures(spec), new DataQualityReport.Builder(), lo -> out.add(lo.observation()));
        return out;
    }

    private static List<Observation> fromFrames(FeatureSpec spec, List<Frame> frames, double tolerance) throws Exception {
        WindowAssembler a = new WindowAssembler("cnc-s", spec, tolerance, 30);
        FeatureStream features = new WaveformFeatures(spec).stream();
        List<Observation> out = new ArrayList<>();
        for (Frame f : frames) {
            for (WindowAssembler.Window w : a.accept(f)) {
                out.add(features.next(w.index(), w.index() * spec.hopSeconds(), 0, w.channels()));
            }
        }
        return out;
    }

    private static List<Frame> frames() {
        List<Frame> out = new ArrayList<>();
        Iterator<Frame> it = sim().frames();
        it.forEachRemaining(out::add);
        return out;
    }

    private FeatureSpec spec() throws Exception {
        Path dir = tmp.resolve("spec");
        Simulation.builder(CncSpec.defaults("cnc-s")).lifeDurationS(2).build().writeRecording(dir, b -> { });
        return RecordingInput.deriveSpec(dir, InputOptions.defaults(), 1.0, 0.5, new DataQualityReport.Builder());
    }

    @Test
    void streamedFramesGiveExactlyTheTrainingFeatures() throws Exception {
        FeatureSpec spec = spec();
        List<Observation> training = fromRecording(spec);
        List<Observation> streamed = fromFrames(spec, frames(), 0);
        assertThat(streamed).hasSize(training.size());
        for (int i = 0; i < training.size(); i++) {
            assertThat(streamed.get(i).features()).as("window %d", i).containsExactly(training.get(i).features());
            assertThat(streamed.get(i).numericContext()).containsExactly(training.get(i).numericContext());
            assertThat(streamed.get(i).steady()).isEqualTo(training.get(i).steady());
        }
    }

    @Test
    void outOfOrderAndDuplicateFramesWithinTheToleranceChangeNothing() throws Exception {
        FeatureSpec spec = spec();
        List<Observation> inOrder = fromFrames(spec, frames(), 0.3);
        List<Frame> shuffled = new ArrayList<>(frames());
        Random r = new Random(1);
        // shuffle within every 2 blocks (0.2 s, under the 0.3 s tolerance) and send a tenth of the frames twice
        for (int i = 0; i < shuffled.size(); i += 22) {
            Collections.shuffle(shuffled.subList(i, Math.min(shuffled.size(), i + 22)), r);
        }
        List<Frame> withDuplicates = new ArrayList<>();
        for (Frame f : shuffled) {
            withDuplicates.add(f);
            if (r.nextInt(10) == 0) {
                withDuplicates.add(f);
            }
        }
        List<Observation> messy = fromFrames(spec, withDuplicates, 0.3);
        assertThat(messy).hasSameSizeAs(inOrder);
        for (int i = 0; i < inOrder.size(); i++) {
            assertThat(messy.get(i).features()).containsExactly(inOrder.get(i).features());
        }
    }

    @Test
    void missingFramesBecomeADropoutNotAnAnomaly() throws Exception {
        FeatureSpec spec = spec();
        List<Frame> gappy = new ArrayList<>(frames());
        gappy.removeIf(f -> f.channel().equals("accel_y") && f.startNanos() % 1_000_000_000L == 500_000_000L
                && f.startNanos() / 1_000_000_000L % 4 == 2);
        List<Observation> obs = fromFrames(spec, gappy, 0);
        assertThat(obs).anySatisfy(o -> assertThat(o.sensorIssue()).isEqualTo("dropout:accel_y"));
    }

    @Test
    void wrongRateLateFramesAndOtherMachinesAreRefusedWithAReason() throws Exception {
        FeatureSpec spec = spec();
        WindowAssembler a = new WindowAssembler("cnc-s", spec, 0, 30);
        List<Frame> fs = frames();
        for (Frame f : fs.subList(0, 300)) {
            a.accept(f);
        }
        Frame first = fs.get(0);
        // an exact repeat of a recent frame (a gateway sending again after a lost answer or a 503) is taken, not late
        assertThat(a.accept(first)).isEmpty();
        Frame stale = new Frame(first.machineId(), first.channel(), first.startNanos(), first.sampleRateHz(),
                java.util.Arrays.copyOf(first.samples(), first.samples().length / 2));
        assertThatThrownBy(() -> a.accept(stale)).isInstanceOf(FrameException.class).hasMessageContaining("late by");
        assertThatThrownBy(() -> a.accept(new Frame("cnc-s", "accel_x", first.startNanos() + 30_000_000_000L, 12_800,
                new float[10]))).hasMessageContaining("sampled at 12800.0 Hz").hasMessageContaining("25600.0 Hz");
        assertThatThrownBy(() -> a.accept(new Frame("cnc-9", "accel_x", 0, 25_600, new float[1])))
                .hasMessageContaining("machine 'cnc-9'");
        a.accept(new Frame("cnc-s", "temperature", first.startNanos(), 1, new float[]{20}));
        assertThat(a.ignoredFrames()).isEqualTo(1);

        // one channel dies while the others run on: they may not run further ahead than the limit
        WindowAssembler b = new WindowAssembler("cnc-s", spec, 0, 2);
        long dies = first.startNanos() + 1_000_000_000L;
        assertThatThrownBy(() -> {
            for (Frame f : fs) {
                if (!(f.channel().equals("accel_y") && f.startNanos() >= dies)) {
                    b.accept(f);
                }
            }
        }).isInstanceOf(FrameException.class).hasMessageContaining("ahead of the oldest open window")
                .hasMessageContaining("another channel of this machine has stopped");
    }

    @Test
    void aStreamThatPausesResumesAtTheNewDataWithoutStaleWindows() throws Exception {
        FeatureSpec spec = spec();
        WindowAssembler a = new WindowAssembler("cnc-s", spec, 0.2, 5);
        List<Frame> fs = frames();
        long t0 = fs.get(0).startNanos();
        List<WindowAssembler.Window> before = new ArrayList<>();
        List<WindowAssembler.Window> after = new ArrayList<>();
        for (Frame f : fs) {
            if (f.startNanos() < t0 + 3_050_000_000L) {
                before.addAll(a.accept(f));
            }
        }
        // the gateway was away for a minute; the rest of the recording arrives a minute later
        for (Frame f : fs) {
            if (f.startNanos() >= t0 + 4_000_000_000L) {
                after.addAll(a.accept(new Frame(f.machineId(), f.channel(), f.startNanos() + 60_000_000_000L,
                        f.sampleRateHz(), f.samples())));
            }
        }
        assertThat(before).isNotEmpty();
        assertThat(after).as("windows after the pause").isNotEmpty();
        assertThat(after.get(0).startNanos()).isGreaterThanOrEqualTo(t0 + 64_000_000_000L);
        for (WindowAssembler.Window w : after) {
            for (float[] c : w.channels()) {
                for (float v : c) {
                    assertThat(v).as("no gap inside a window after the restart").isNotNaN();
                }
            }
        }
    }
}
