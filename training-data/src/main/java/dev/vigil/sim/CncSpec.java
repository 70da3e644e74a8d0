package dev.vigil.sim;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.MachineKind;

import java.util.List;

/**
 * A CNC spindle: triaxial accelerometer on the front bearing housing, three motor phase currents from the
 * spindle drive (VFD), and speed/load/tool/mode tags.
 *
 * <p>The spindle is inverter-driven, so the current's fundamental is the drive's output frequency
 * {@code polePairs * shaft rate * (1 + slip)}, not the 50/60 Hz mains: that is what a current clamp on a
 * spindle motor sees. The {@code supply_hz} tag carries it.
 */
public record CncSpec(
        String id,
        double blockSeconds,
        double accelRateHz,
        double currentRateHz,
        double tagRateHz,
        BearingGeometry bearing,
        int polePairs,
        double noLoadCurrentA,
        double ratedLoadCurrentA,
        List<Double> resonanceHz,
        double resonanceDamping,
        double chatterHz,
        int toolFlutes,
        double residualImbalanceG,
        double accelRangeG,
        double accelNoiseG,
        double currentRangeA,
        double currentNoiseA,
        int adcBits,
        double maxAccelRpmPerS,
        GeneratedProgram program,
        List<ProgramStep> steps) implements MachineSpec {

    /**
     * Parameters for a repeating part program used when no explicit {@code steps} are given. The program is
     * the machine's job: it is the same in every run of the machine (derived from the machine id) unless
     * {@code seed} names another one (another part).
     */
    public record GeneratedProgram(double minRpm, double maxRpm, int operations, int tools,
                                   double minCutSeconds, double maxCutSeconds, double idleShare, long seed) {
        public GeneratedProgram {
            MachineSpec.require(minRpm > 0 && maxRpm >= minRpm, "program needs 0 < minRpm <= maxRpm");
            MachineSpec.require(operations >= 1, "program.operations must be >= 1");
            MachineSpec.require(tools >= 1, "program.tools must be >= 1");
            MachineSpec.require(minCutSeconds > 0 && maxCutSeconds >= minCutSeconds,
                    "program needs 0 < minCutSeconds <= maxCutSeconds");
            MachineSpec.require(idleShare >= 0 && idleShare < 1, "program.idleShare must be in [0, 1)");
        }
    }

    public CncSpec {
        MachineSpec.require(id != null && !id.isBlank(), "machine id is required");
        MachineSpec.require(blockSeconds > 0 && blockSeconds <= 1, "blockSeconds must be in (0, 1]");
        MachineSpec.requireWholeSamples("accelRateHz", accelRateHz, blockSeconds);
        MachineSpec.requireWholeSamples("currentRateHz", currentRateHz, blockSeconds);
        MachineSpec.requireWholeSamples("tagRateHz", tagRateHz, blockSeconds);
        MachineSpec.require(bearing != null, "bearing geometry is required");
        MachineSpec.require(polePairs >= 1, "polePairs must be >= 1");
        MachineSpec.require(noLoadCurrentA >= 0 && ratedLoadCurrentA > 0, "currents must be positive");
        MachineSpec.require(resonanceHz != null && resonanceHz.size() == 3,
                "resonanceHz needs three values (x, y, z axes)");
        for (double f : resonanceHz) {
            MachineSpec.require(f > 0 && f < accelRateHz / 2, "resonance " + f + " Hz must lie below Nyquist ("
                    + accelRateHz / 2 + " Hz)");
        }
        MachineSpec.require(chatterHz > 0 && chatterHz < accelRateHz / 2, "chatterHz must lie below Nyquist");
        MachineSpec.require(resonanceDamping > 0 && resonanceDamping < 0.5, "resonanceDamping must be in (0, 0.5)");
        MachineSpec.require(toolFlutes >= 1, "toolFlutes must be >= 1");
        MachineSpec.require(residualImbalanceG >= 0, "residualImbalanceG must be >= 0");
        MachineSpec.require(accelRangeG > 0 && currentRangeA > 0, "sensor ranges must be positive");
        MachineSpec.require(accelNoiseG >= 0 && currentNoiseA >= 0, "sensor noise must be >= 0");
        MachineSpec.require(adcBits >= 8 && adcBits <= 24, "adcBits must be in [8, 24]");
        MachineSpec.require(maxAccelRpmPerS > 0, "maxAccelRpmPerS must be > 0");
        MachineSpec.require(program != null || (steps != null && !steps.isEmpty()),
                "either program or steps is required");
        steps = steps == null ? List.of() : List.copyOf(steps);
        resonanceHz = List.copyOf(resonanceHz);
    }

    @Override
    public MachineKind kind() {
        return MachineKind.CNC;
    }

    /** A high-speed machining-centre spindle with angular-contact bearings. */
    public static CncSpec defaults(String id) {
        return new CncSpec(id, 0.1, 25_600, 10_000, 10,
                new BearingGeometry(13, 9.525, 62.0, 15.0),
                2, 4.0, 18.0,
                List.of(5_200.0, 5_800.0, 6_600.0), 0.06,
                2_300, 3, 0.03,
                50, 0.003, 100, 0.02, 16,
                15_000,
                new GeneratedProgram(3_000, 18_000, 6, 8, 8, 30, 0.1, 0),
                List.of());
    }

    /** The same spindle running one constant-speed cutting step forever (for physics tests and calibration). */
    public CncSpec withConstantSpeed(double rpm, double loadPct) {
        return withSteps(List.of(new ProgramStep(ProgramStep.Mode.CUT, rpm, loadPct, 3600, 1)));
    }

    public CncSpec withSteps(List<ProgramStep> newSteps) {
        return new CncSpec(id, blockSeconds, accelRateHz, currentRateHz, tagRateHz, bearing, polePairs,
                noLoadCurrentA, ratedLoadCurrentA, resonanceHz, resonanceDamping, chatterHz, toolFlutes,
                residualImbalanceG, accelRangeG, accelNoiseG, currentRangeA, currentNoiseA, adcBits,
                maxAccelRpmPerS, program, newSteps);
    }

    /** The same machine running another part: a different generated program. */
    public CncSpec withProgramSeed(long seed) {
        GeneratedProgram p = program == null ? defaults(id).program() : program;
        return new CncSpec(id, blockSeconds, accelRateHz, currentRateHz, tagRateHz, bearing, polePairs,
                noLoadCurrentA, ratedLoadCurrentA, resonanceHz, resonanceDamping, chatterHz, toolFlutes,
                residualImbalanceG, accelRangeG, accelNoiseG, currentRangeA, currentNoiseA, adcBits, maxAccelRpmPerS,
                new GeneratedProgram(p.minRpm(), p.maxRpm(), p.operations(), p.tools(), p.minCutSeconds(),
                        p.maxCutSeconds(), p.idleShare(), seed), List.of());
    }

    public CncSpec withAccelRate(double rateHz) {
        return new CncSpec(id, blockSeconds, rateHz, currentRateHz, tagRateHz, bearing, polePairs,
                noLoadCurrentA, ratedLoadCurrentA, resonanceHz, resonanceDamping, chatterHz, toolFlutes,
                residualImbalanceG, accelRangeG, accelNoiseG, currentRangeA, currentNoiseA, adcBits,
                maxAccelRpmPerS, program, steps);
    }
}
