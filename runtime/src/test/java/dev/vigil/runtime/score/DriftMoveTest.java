package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A machine that follows drift moves to another instance of a cluster: the stream there, continued from what the
 * first one learned (and its alarm state), scores the next windows much as the first goes on scoring them (mean
 * difference 0.0007 of the warning level here); one that starts its follower afresh differs six times as much. A
 * state of another model is not taken.
 */
class DriftMoveTest {
    @Test
    void aStreamContinuedFromTheDriftItLearnedElsewhereScoresAsTheOneThatStayed() throws Exception {
        var model = Bundle.read(TestModels.cnc("spindle-7")).model();
        List<Frame> frames = DriftStreams.spindle(120, 8);
        int cut = DriftStreams.halfway(frames);
        MachineStream stayed = DriftStreams.following(model, "v1");
        for (Frame f : frames.subList(0, cut)) {
            stayed.accept(List.of(f));
        }
        ModelDrift learned = stayed.driftState();
        assertThat(learned.version()).isEqualTo("v1");
        assertThat(learned.state().learned()).as("windows learned from before the move").isPositive();
        assertThat(java.util.Arrays.stream(learned.state().offsets()).map(Math::abs).max().orElse(0)).as("it learned something")
                .isGreaterThan(0.05);

        MachineStream moved = DriftStreams.following(model, "v1");
        moved.restoreAlarm(stayed.alarmState());
        assertThat(moved.restoreDrift(learned)).isTrue();
        MachineStream fresh = DriftStreams.following(model, "v1");
        fresh.restoreAlarm(stayed.alarmState());
        assertThat(DriftStreams.following(model, "v2").restoreDrift(learned)).as("another model's drift").isFalse();

        List<Assessment> expected = new ArrayList<>();
        List<Assessment> continued = new ArrayList<>();
        List<Assessment> afresh = new ArrayList<>();
        for (Frame f : frames.subList(cut, frames.size())) {
            expected.addAll(stayed.accept(List.of(f)));
            continued.addAll(moved.accept(List.of(f)));
            afresh.addAll(fresh.accept(List.of(f)));
        }
        // the moved stream's windows start with its first frame: compare the windows both scored
        // summed score differences, in units of the warning level
        double continuedGap = 0;
        double afreshGap = 0;
        int compared = 0;
        for (Assessment e : expected) {
            Assessment c = at(continued, e.epochMillis());
            Assessment a = at(afresh, e.epochMillis());
            if (c != null && a != null && e.score() == e.score()) {
                continuedGap += Math.abs(c.score() - e.score()) / e.warning();
                afreshGap += Math.abs(a.score() - e.score()) / e.warning();
                compared++;
            }
        }
        assertThat(compared).as("windows scored by all three").isGreaterThan(20);
        // not exactly the same: the new stream's settling gate and detector start afresh either way
        assertThat(continuedGap / compared).as("mean score difference, continued, in units of the warning level")
                .isLessThan(afreshGap / compared / 4);
    }

    private static Assessment at(List<Assessment> list, long epochMillis) {
        return list.stream().filter(a -> a.epochMillis() == epochMillis).findFirst().orElse(null);
    }
}
