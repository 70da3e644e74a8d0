package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * An engineer's false-alarm verdict raises a machine's levels; the machine's scoring goes on where it was: the
 * windows after it get the same scores and smoothed scores as on a stream whose levels never changed, what the drift
 * follower learned is kept, and only the levels differ. (Scoring used to start afresh at every verdict: the next
 * windows waited for the settling gate again, the smoothing restarted and a day of learned drift was forgotten.)
 */
class LevelChangeTest {
    @Test
    void raisedLevelsChangeTheLevelsAndNothingElse() throws Exception {
        Model model = Bundle.read(TestModels.cnc("spindle-7")).model();
        List<Frame> frames = DriftStreams.spindle(90, 11);
        int cut = DriftStreams.halfway(frames);
        MachineStream kept = DriftStreams.following(model, "v1");
        MachineStream raised = DriftStreams.following(model, "v1");
        for (Frame f : frames.subList(0, cut)) {
            kept.accept(List.of(f));
            raised.accept(List.of(f));
        }
        long learnedBefore = raised.driftState().state().learned();
        assertThat(learnedBefore).as("windows the follower learned from").isPositive();

        raised.scaleLevels(1.21);
        assertThat(raised.driftState().state().learned()).as("learned drift kept").isEqualTo(learnedBefore);
        assertThat(raised.driftState().state().offsets()).isEqualTo(kept.driftState().state().offsets());

        List<Assessment> expected = new ArrayList<>();
        List<Assessment> after = new ArrayList<>();
        for (Frame f : frames.subList(cut, frames.size())) {
            expected.addAll(kept.accept(List.of(f)));
            after.addAll(raised.accept(List.of(f)));
        }
        assertThat(after).hasSameSizeAs(expected).isNotEmpty();
        for (int i = 0; i < after.size(); i++) {
            Assessment e = expected.get(i);
            Assessment a = after.get(i);
            assertThat(a.epochMillis()).isEqualTo(e.epochMillis());
            assertThat(a.level() == Level.TRANSIENT)
                    .as("window %d waits for settling only where the unchanged stream does", i)
                    .isEqualTo(e.level() == Level.TRANSIENT);
            if (e.score() == e.score()) {
                // the follower learns only under half the warning level: on these healthy windows it learns alike
                assertThat(a.score()).as("score of window %d", i).isCloseTo(e.score(), within(1e-9 * e.warning()));
                assertThat(a.smoothed()).as("smoothed score of window %d", i)
                        .isCloseTo(e.smoothed(), within(1e-9 * e.warning()));
            }
            assertThat(a.warning()).isCloseTo(1.21 * e.warning(), within(1e-9 * e.warning()));
        }
    }
}
