package dev.vigil.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The spindle's repeating part program: explicit steps, or a seeded program of machining operations. */
final class CncProgram {
    private static final double TOOL_CHANGE_S = 4.0;
    private static final double APPROACH_S = 1.5;
    private static final double RETRACT_S = 1.0;

    private final List<ProgramStep> steps;
    private final double[] ends;
    private final double cycleS;

    CncProgram(List<ProgramStep> steps) {
        this.steps = List.copyOf(steps);
        this.ends = new double[steps.size()];
        double t = 0;
        for (int i = 0; i < steps.size(); i++) {
            t += steps.get(i).seconds();
            ends[i] = t;
        }
        this.cycleS = t;
    }

    static CncProgram of(CncSpec spec, SplittableRandom rng) {
        if (!spec.steps().isEmpty()) {
            return new CncProgram(spec.steps());
        }
        CncSpec.GeneratedProgram p = spec.program();
        List<ProgramStep> steps = new ArrayList<>();
        double busy = 0;
        for (int op = 0; op < p.operations(); op++) {
            int tool = 1 + rng.nextInt(p.tools());
            double rpm = Math.rint((p.minRpm() + rng.nextDouble() * (p.maxRpm() - p.minRpm())) / 100) * 100;
            double load = 25 + rng.nextDouble() * 55;
            double cut = p.minCutSeconds() + rng.nextDouble() * (p.maxCutSeconds() - p.minCutSeconds());
            // each operation: spin up and approach in air, cut, retract, then change to the next tool
            steps.add(new ProgramStep(ProgramStep.Mode.AIR, rpm, 5, APPROACH_S, tool));
            steps.add(new ProgramStep(ProgramStep.Mode.CUT, rpm, load, cut, tool));
            steps.add(new ProgramStep(ProgramStep.Mode.AIR, rpm, 5, RETRACT_S, tool));
            steps.add(new ProgramStep(ProgramStep.Mode.TOOL_CHANGE, 0, 0, TOOL_CHANGE_S, tool));
            busy += TOOL_CHANGE_S + APPROACH_S + cut + RETRACT_S;
        }
        if (p.idleShare() > 0) {
            double idle = busy * p.idleShare() / (1 - p.idleShare());
            steps.add(new ProgramStep(ProgramStep.Mode.IDLE, 0, 0, idle, steps.get(steps.size() - 1).tool()));
        }
        return new CncProgram(steps);
    }

    ProgramStep at(double t) {
        double u = t % cycleS;
        for (int i = 0; i < ends.length; i++) {
            if (u < ends[i]) {
                return steps.get(i);
            }
        }
        return steps.get(steps.size() - 1);
    }

    List<ProgramStep> steps() {
        return steps;
    }
}
