package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;

import java.util.List;

/** A simulated spindle's stream that follows drift, for the tests of what a stream keeps when something changes. */
final class DriftStreams {
    /** A short time constant, so that a minute of healthy running teaches the follower something. */
    static final DriftFollower.Settings QUICK = new DriftFollower.Settings(60, 0.5, 2);

    private DriftStreams() {
    }

    static MachineStream following(Model model, String version) {
        MachineStream s = new MachineStream("spindle-7", model, version, 0.2);
        s.followDrift(QUICK);
        return s;
    }

    /** A healthy spindle's frames, one per channel and second. */
    static List<Frame> spindle(double seconds, long seed) {
        return SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(seconds).seed(seed)
                .build());
    }

    /** Where the first half of the frames ends, on a whole second of every channel. */
    static int halfway(List<Frame> frames) {
        int channels = (int) frames.stream().map(Frame::channel).distinct().count();
        return frames.size() / 2 / channels * channels;
    }
}
