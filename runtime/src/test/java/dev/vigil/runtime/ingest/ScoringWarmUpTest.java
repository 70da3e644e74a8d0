package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.score.Model;
import dev.vigil.model.signal.Transforms;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.score.MachineStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The start-up warm-up: what it sends is a well-formed stream, it reaches the detector, the fleet never sees it. */
class ScoringWarmUpTest {

    @Test
    void synthesisedFramesAreGapFreeInEveryChannelAcrossTheLoop() throws Exception {
        // rates whose 0.1 s frames and 10 s loop do not come out in whole samples
        FeatureSpec spec = new FeatureSpec(FeatureSpec.WAVEFORM, 1, 1, List.of(
                new ChannelUse("accel", "g", 2_560.3, ChannelUse.VIBRATION),
                new ChannelUse("i_a", "A", 1_001.7, ChannelUse.AC_CURRENT),
                new ChannelUse("j1", "deg", 333.33, ChannelUse.POSITION),
                new ChannelUse("speed", "rpm", 12.345, ChannelUse.SPEED)),
                null, new double[]{0.1, 0.4}, 0, List.of(), List.of(), List.of(), null, Map.of(), 0, 0);
        Model cnc = model();
        ScoringWarmUp.Signals signals = new ScoringWarmUp.Signals(new Model(spec, cnc.features(), cnc.numericContext(),
                cnc.categoricalContext(), cnc.preprocessor(), cnc.detector(), cnc.calibration(), null), 1_000_000_000L);
        Map<String, Frame> last = new HashMap<>();
        Map<String, Long> samples = new HashMap<>();
        for (int k = 0; k < 250; k++) {
            List<Frame> frames = signals.next();
            assertThat(frames).extracting(Frame::channel).containsExactly("accel", "i_a", "j1", "speed");
            for (Frame f : frames) {
                Frame before = last.put(f.channel(), f);
                if (before != null) {
                    assertThat(Math.abs(f.startNanos() - before.endNanos())).as("frame %d of %s", k, f.channel())
                            .isLessThanOrEqualTo(1);
                }
                samples.merge(f.channel(), (long) f.samples().length, Long::sum);
                for (float v : f.samples()) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
        }
        // 25 s of each channel, within a sample per 10 s loop
        assertThat(samples.get("accel")).isCloseTo(Math.round(25 * 2_560.3), within(3L));
        assertThat(samples.get("speed")).isCloseTo(Math.round(25 * 12.345), within(3L));
    }

    @Test
    void warmsEachModelOnceWithScoredWindowsAndLeavesTheFleetAlone() throws Exception {
        Model model = model();
        Transforms transforms = new Transforms();
        MachineStream a = new MachineStream("m-a", model, "v1", 0.2, 5, 0, transforms);
        MachineStream b = new MachineStream("m-b", model, "v1", 0.2, 5, 0.5, transforms);

        ScoringWarmUp.Result r = new ScoringWarmUp(transforms).run(List.of(a, b), Duration.ofSeconds(3));

        assertThat(r.models()).isEqualTo(1);
        // steady synthetic running gets past the settling gate and the transient check to the detector
        assertThat(r.scored()).isGreaterThan(20).isGreaterThan(r.windows() / 2);
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        for (MachineStream m : List.of(a, b)) {
            assertThat(m.windows()).isZero();
            assertThat(m.latest()).isNull();
        }
        assertThat(new ScoringWarmUp(transforms).run(List.of(a), Duration.ZERO))
                .isEqualTo(new ScoringWarmUp.Result(0, 0, 0, Duration.ZERO));
    }

    private static Model model() throws java.io.IOException {
        return Bundle.read(TestModels.cnc("spindle-7")).model();
    }
}
