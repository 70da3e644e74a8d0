package dev.vigil.sim;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The robot arm: motion program, torque currents, reducer mesh vibration and reducer wear. */
@Tag("slow")
class RobotPhysicsTest {
    // the physics is checked on the exact program; timing variation has its own test
    private static final RobotSpec SPEC = ((RobotSpec) MachineSpecs.defaults(MachineKind.ROBOT, "robot-t")).exactPeriod();
    private static final double CYCLE_S = 4 * (SPEC.moveSeconds() + SPEC.dwellSeconds());
    private static final double VIB_RATE = SPEC.vibrationRateHz();
    private static final double CUR_RATE = SPEC.currentRateHz();

    private static Simulation healthy(double seconds, long seed) {
        return Simulation.builder(SPEC).lifeDurationS(seconds).seed(seed).build();
    }

    private static Simulation worn(double seconds, long seed, double severity) {
        return Simulation.builder(SPEC).lifeDurationS(seconds).seed(seed)
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, 0, 0, Progression.STEP, severity, null, 2)).build();
    }

    private static double correlation(float[] x, int a, int b, int n) {
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < n; i++) {
            sa += x[a + i];
            sb += x[b + i];
        }
        sa /= n;
        sb /= n;
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = 0; i < n; i++) {
            num += (x[a + i] - sa) * (x[b + i] - sb);
            da += (x[a + i] - sa) * (x[a + i] - sa);
            db += (x[b + i] - sb) * (x[b + i] - sb);
        }
        return num / Math.sqrt(da * db);
    }

    @Test
    void theDefaultProgramsTimingVariesFromCycleToCycleAndPauses() {
        RobotSpec jittered = (RobotSpec) MachineSpecs.defaults(MachineKind.ROBOT, "robot-t");
        Simulation s = Simulation.builder(jittered).lifeDurationS(900).seed(4).build();
        float[] move = Signals.collect(s, "move");
        double rate = jittered.tagRateHz();
        // cycle lengths: from one start of move 0 to the next
        java.util.List<Double> cycles = new java.util.ArrayList<>();
        int last = -1;
        for (int i = 1; i < move.length; i++) {
            if (move[i] == 0 && move[i - 1] != 0) {
                if (last >= 0) {
                    cycles.add((i - last) / rate);
                }
                last = i;
            }
        }
        double[] c = cycles.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = c[c.length / 2];
        assertThat(median).as("median cycle").isCloseTo(CYCLE_S, within(0.15));
        assertThat(c[(int) (0.9 * c.length)] - c[(int) (0.1 * c.length)]).as("spread of ordinary cycles")
                .isBetween(0.1, 0.6);
        assertThat(c[c.length - 1]).as("a cycle with a pause").isGreaterThan(CYCLE_S + 2);
        // same seed, same timing; another seed, another
        float[] again = Signals.collect(Simulation.builder(jittered).lifeDurationS(60).seed(4).build(), "move");
        float[] other = Signals.collect(Simulation.builder(jittered).lifeDurationS(60).seed(5).build(), "move");
        assertThat(again).containsExactly(java.util.Arrays.copyOf(move, again.length));
        assertThat(other).isNotEqualTo(java.util.Arrays.copyOf(move, other.length));
    }

    @Test
    void aSecondProgramRunsNowAndThenAndTheControllerSaysWhich() {
        RobotSpec d = (RobotSpec) MachineSpecs.defaults(MachineKind.ROBOT, "robot-t");
        assertThat(d.otherProgramRunsPerHour()).as("default: now and then").isBetween(1.0, 6.0);
        RobotSpec often = d.withProgram(d.waypointsDeg(), d.pickWaypoint(), d.placeWaypoint(), d.timingJitter(),
                d.pausesPerHour(), 40);
        Simulation s = Simulation.builder(often).lifeDurationS(600).seed(6).build();
        float[] program = Signals.collect(s, "program");
        float[] payload = Signals.collect(s, "payload_kg");
        float[] q1 = Signals.collect(s, "j1_position");
        int second = 0;
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < program.length; i++) {
            assertThat(program[i]).as("program tag").isIn(1f, 2f);
            if (program[i] == 2) {
                second++;
                assertThat(payload[i]).as("the second program carries no part").isZero();
                float q = q1[(int) Math.round((i + 0.5) / often.tagRateHz() * CUR_RATE)];
                lo = Math.min(lo, q);
                hi = Math.max(hi, q);
            }
        }
        // 40 runs an hour of 5 cycles of about 3.6 s: about a fifth of the time
        assertThat((double) second / program.length).as("share of the second program").isBetween(0.08, 0.4);
        // joint 1 visits -60 and 70 degrees there, outside the first program's range (-40 to 60)
        assertThat((double) lo).isCloseTo(-60, within(1.0));
        assertThat((double) hi).isCloseTo(70, within(1.0));
        // the arm moves from one program to the other without a jump
        double maxStep = 0;
        for (int i = 1; i < q1.length; i++) {
            maxStep = Math.max(maxStep, Math.abs(q1[i] - q1[i - 1]));
        }
        assertThat(maxStep).as("largest change of j1 in 1 ms (deg)").isLessThan(0.5);
    }

    @Test
    void jointsVisitTheProgrammedWaypoints() {
        Simulation s = healthy(CYCLE_S * 2, 1);
        for (int axis = 1; axis <= 6; axis++) {
            float[] q = Signals.collect(s, "j" + axis + "_position");
            for (int w = 0; w < 4; w++) {
                // end of the dwell after move w, in cycle 1: the joint rests at waypoint w + 1
                double t = CYCLE_S + (w + 1) * (SPEC.moveSeconds() + SPEC.dwellSeconds()) - 0.05;
                double expected = SPEC.waypointsDeg().get((w + 1) % 4).get(axis - 1);
                assertThat((double) q[(int) (t * CUR_RATE)]).as("j%d at waypoint %d", axis, w + 1)
                        .isCloseTo(expected, within(1e-3));
            }
        }
    }

    @Test
    void gearMeshFrequencyIsProportionalToMotorSpeed() {
        Simulation s = healthy(CYCLE_S + 1, 2);
        float[] vib = Signals.collect(s, "j1_vibration");
        // move 0 of cycle 1: joint 1 cruises from 0 to 60 degrees
        double accel = SPEC.accelFraction() * SPEC.moveSeconds();
        double jointDegPerS = 60 / (SPEC.moveSeconds() - accel);
        RobotSpec.Axis ax = SPEC.axes().get(0);
        double meshHz = ax.meshOrder() * ax.ratio() * jointDegPerS / 360;
        int n = 2048;
        int from = (int) ((CYCLE_S + accel + 0.02) * VIB_RATE);
        double[] amp = Spectra.amplitude(vib, from, n);

        assertThat(Spectra.peakHz(amp, VIB_RATE, n, 50, 3000)).isCloseTo(meshHz, within(2 * VIB_RATE / n));
        assertThat(Spectra.peak(amp, VIB_RATE, n, 2 * meshHz - 7, 2 * meshHz + 7) / Spectra.floor(amp, VIB_RATE, n, 50, 3000))
                .as("second mesh harmonic").isGreaterThan(10);
    }

    @Test
    void currentsRepeatEveryCycleAndFollowThePayload() {
        Simulation s = healthy(CYCLE_S * 6, 3);
        float[] j1 = Signals.collect(s, "j1_current");
        int cycle = (int) Math.round(CYCLE_S * CUR_RATE);
        assertThat(correlation(j1, cycle, 2 * cycle, cycle)).as("cycle-synchronous").isGreaterThan(0.95);

        // joint 2 carries the gravity load: the payload changes from 2 kg to 5 kg after five cycles
        float[] j2 = Signals.collect(s, "j2_current");
        float[] payload = Signals.collect(s, "payload_kg");
        double light = 0;
        double heavy = 0;
        int count = 0;
        for (int i = 0; i < cycle; i++) {
            int tag = (int) ((cycle + i) / CUR_RATE * SPEC.tagRateHz());
            int tag5 = (int) ((5 * cycle + i) / CUR_RATE * SPEC.tagRateHz());
            if (payload[tag] > 0 && payload[tag5] > 0) {
                light += j2[cycle + i];
                heavy += j2[5 * cycle + i];
                count++;
            }
        }
        assertThat(count).isGreaterThan(cycle / 4);
        assertThat(payload[(int) (1.5 * CYCLE_S * SPEC.tagRateHz())]).isIn(0f, 2f);
        assertThat(heavy / count - light / count).as("3 kg more payload on joint 2").isGreaterThan(0.05);
    }

    @Test
    void reducerWearAddsPositionLockedCurrentRippleOnItsJointOnly() {
        double seconds = CYCLE_S * 3;
        Simulation h = healthy(seconds, 4);
        Simulation w = worn(seconds, 4, 0.8);
        float[] hc = Signals.collect(h, "j2_current");
        float[] wc = Signals.collect(w, "j2_current");
        float[] residual = new float[hc.length];
        for (int i = 0; i < hc.length; i++) {
            residual[i] = wc[i] - hc[i];
        }
        int cycle = (int) Math.round(CYCLE_S * CUR_RATE);
        assertThat(Signals.rms(residual, 0, residual.length)).isGreaterThan(0.1);
        assertThat(correlation(residual, cycle, 2 * cycle, cycle)).as("ripple repeats with position").isGreaterThan(0.95);
        assertThat(Signals.collect(w, "j1_current")).as("other joints untouched").containsExactly(Signals.collect(h, "j1_current"));
    }

    @Test
    void reducerWearAddsImpactsAndMeshHarmonics() {
        double seconds = CYCLE_S * 2;
        float[] hv = Signals.collect(healthy(seconds, 5), "j2_vibration");
        float[] wv = Signals.collect(worn(seconds, 5, 0.8), "j2_vibration");
        int from = (int) (CYCLE_S * VIB_RATE);
        assertThat(Signals.kurtosis(wv, from, wv.length)).as("impacts at reversals and at the damaged teeth")
                .isGreaterThan(2 * Signals.kurtosis(hv, from, hv.length));
        assertThat(Signals.rms(wv, from, wv.length)).isGreaterThan(1.5 * Signals.rms(hv, from, hv.length));
    }
}
