package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Infinite samples are a sensor problem, never a machine anomaly: before, one infinite sample made the window's
 * spread NaN, slipped past the spike and clipping checks and drove the machine score to its limit.
 */
class NonFiniteSamplesTest {

    @Test
    void infiniteSamplesAreASensorProblemNotAnAlarm() throws Exception {
        MachineStream machine = new MachineStream("spindle-7", Bundle.read(TestModels.cnc("spindle-7")).model(), 0.2);
        List<Assessment> out = new ArrayList<>();
        for (Frame f : SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(12).seed(4).build())) {
            float[] x = f.samples().clone();
            if (f.channel().equals("accel_x") && f.startNanos() >= 1_767_225_600_000_000_000L + 4_000_000_000L) {
                for (int i = 0; i < x.length; i += 997) {
                    x[i] = i % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                }
            }
            out.addAll(machine.accept(List.of(new Frame(f.machineId(), f.channel(), f.startNanos(), f.sampleRateHz(), x))));
        }
        List<Assessment> hit = out.stream().filter(a -> a.sensorIssue() != null).toList();
        assertThat(hit).as("windows with infinite samples").isNotEmpty()
                .allSatisfy(a -> assertThat(a.sensorIssue()).isEqualTo("non-finite:accel_x"));
        assertThat(out).noneMatch(Assessment::alarm);
        assertThat(out).noneMatch(a -> a.level() == Level.WARNING || a.level() == Level.CRITICAL);
    }
}
