package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A machine that moved to another instance of a cluster lets go of the samples of its open windows and of its
 * feature streams; if it comes back, its stream starts again on the frames it gets, as a fresh one would.
 */
class ReleaseTest {

    @Test
    void aReleasedStreamScoresTheFramesItGetsNextAsAFreshOneWould() throws Exception {
        var model = Bundle.read(TestModels.cnc("spindle-7")).model();
        List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(16)
                .seed(4).build());
        int channels = (int) frames.stream().map(Frame::channel).distinct().count();
        int half = frames.size() / 2 / channels * channels;
        MachineStream moved = new MachineStream("spindle-7", model, 0.2);
        List<Assessment> before = new ArrayList<>();
        for (Frame f : frames.subList(0, half)) {
            before.addAll(moved.accept(List.of(f)));
        }
        assertThat(before).as("scored before it moved").isNotEmpty();
        moved.release();

        MachineStream fresh = new MachineStream("spindle-7", model, 0.2);
        List<Assessment> after = new ArrayList<>();
        List<Assessment> expected = new ArrayList<>();
        for (Frame f : frames.subList(half, frames.size())) {
            after.addAll(moved.accept(List.of(f)));
            expected.addAll(fresh.accept(List.of(f)));
        }
        assertThat(after).as("windows after coming back").isNotEmpty();
        assertThat(after.stream().map(Assessment::epochMillis).toList())
                .isEqualTo(expected.stream().map(Assessment::epochMillis).toList());
        assertThat(after.stream().map(Assessment::sensorIssue).toList()).as("no dropout made up by the release")
                .isEqualTo(expected.stream().map(Assessment::sensorIssue).toList());
        assertThat(after.stream().map(Assessment::score).toList()).as("features made afresh too (the settling gate)")
                .isEqualTo(expected.stream().map(Assessment::score).toList());
    }
}
