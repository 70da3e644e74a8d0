package dev.vigil.sim;

import dev.vigil.domain.MachineKind;

import java.util.List;

/**
 * A 6-axis articulated robot: per joint a servo motor (torque current and position logged by the controller)
 * driving a reducer (RV or strain-wave), with an accelerometer on the reducer housing.
 *
 * @param waypointsDeg the motion program: joint positions (one value per axis) visited in a repeating cycle
 * @param moveSeconds duration of each move between consecutive waypoints
 * @param dwellSeconds pause at each waypoint
 * @param accelFraction share of each move spent accelerating (and the same share decelerating)
 * @param payloadsKg payload masses; the gripper picks at {@code pickWaypoint} and places at {@code placeWaypoint},
 *                   and the mass changes to the next entry every {@code cyclesPerPayload} cycles
 * @param timingJitter how much each move's duration varies from cycle to cycle, as a fraction (dwells vary three
 *                     times as much); 0 repeats the program exactly (for tests of the physics)
 * @param pausesPerHour how often, on average, the program is held at a waypoint for 2 to 20 s
 * @param otherProgramDeg a second motion program the cell runs now and then (waypoints, one value per axis; the
 *                        same move and dwell times; no part carried); empty for none
 * @param otherProgramRunsPerHour how often, on average, the second program runs for
 *                                {@value #OTHER_PROGRAM_CYCLES} cycles in place of the first
 */
public record RobotSpec(
        String id,
        double blockSeconds,
        double vibrationRateHz,
        double currentRateHz,
        double tagRateHz,
        List<Axis> axes,
        List<List<Double>> waypointsDeg,
        double moveSeconds,
        double dwellSeconds,
        double accelFraction,
        List<Double> payloadsKg,
        int cyclesPerPayload,
        int pickWaypoint,
        int placeWaypoint,
        double resonanceDamping,
        double accelRangeG,
        double accelNoiseG,
        double currentRangeA,
        double currentNoiseA,
        int adcBits,
        double timingJitter,
        double pausesPerHour,
        List<List<Double>> otherProgramDeg,
        double otherProgramRunsPerHour) implements MachineSpec {

    /** Cycles of the second program in one of its runs. */
    public static final int OTHER_PROGRAM_CYCLES = 5;

    /** Reducer families: RV (cycloidal, first-stage spur gear) or strain-wave (harmonic drive). */
    public enum Reducer {
        RV, STRAIN_WAVE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return this == RV ? "rv" : "strain-wave";
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Reducer parse(String text) {
            for (Reducer r : values()) {
                if (r.id().equalsIgnoreCase(text.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown reducer '" + text + "' (expected rv or strain-wave)");
        }
    }

    /**
     * One joint.
     *
     * @param meshOrder gear-mesh events per motor revolution (RV: input pinion teeth; strain-wave: 2, the
     *                  two lobes of the wave generator)
     * @param gravityNm joint-side gravity torque at horizontal with no payload (0 for vertical-axis joints)
     * @param payloadNmPerKg extra joint-side gravity torque per kg of payload at horizontal
     */
    public record Axis(Reducer reducer, double ratio, int meshOrder, double ktNmPerA, double inertiaKgm2,
                       double frictionNm, double viscousNmsPerRad, double gravityNm, double payloadNmPerKg,
                       double resonanceHz, double meshAmplitudeG) {
        public Axis {
            MachineSpec.require(reducer != null, "axis reducer is required");
            MachineSpec.require(ratio >= 1, "axis ratio must be >= 1");
            MachineSpec.require(meshOrder >= 1, "axis meshOrder must be >= 1");
            MachineSpec.require(ktNmPerA > 0, "axis ktNmPerA must be > 0");
            MachineSpec.require(inertiaKgm2 > 0, "axis inertiaKgm2 must be > 0");
            MachineSpec.require(frictionNm >= 0 && viscousNmsPerRad >= 0, "axis friction must be >= 0");
            MachineSpec.require(resonanceHz > 0, "axis resonanceHz must be > 0");
            MachineSpec.require(meshAmplitudeG >= 0, "axis meshAmplitudeG must be >= 0");
        }
    }

    public RobotSpec {
        MachineSpec.require(id != null && !id.isBlank(), "machine id is required");
        MachineSpec.require(blockSeconds > 0 && blockSeconds <= 1, "blockSeconds must be in (0, 1]");
        MachineSpec.requireWholeSamples("vibrationRateHz", vibrationRateHz, blockSeconds);
        MachineSpec.requireWholeSamples("currentRateHz", currentRateHz, blockSeconds);
        MachineSpec.requireWholeSamples("tagRateHz", tagRateHz, blockSeconds);
        MachineSpec.require(axes != null && !axes.isEmpty() && axes.size() <= 12, "axes: 1 to 12 joints required");
        for (Axis a : axes) {
            MachineSpec.require(a.resonanceHz() < vibrationRateHz / 2, "axis resonance " + a.resonanceHz()
                    + " Hz must lie below Nyquist (" + vibrationRateHz / 2 + " Hz)");
        }
        MachineSpec.require(waypointsDeg != null && waypointsDeg.size() >= 2, "at least two waypoints are required");
        for (int i = 0; i < waypointsDeg.size(); i++) {
            MachineSpec.require(waypointsDeg.get(i).size() == axes.size(), "waypoint " + i + " has "
                    + waypointsDeg.get(i).size() + " values, expected one per axis (" + axes.size() + ")");
        }
        MachineSpec.require(moveSeconds > 0 && dwellSeconds >= 0, "moveSeconds > 0 and dwellSeconds >= 0 required");
        MachineSpec.require(accelFraction > 0 && accelFraction <= 0.5, "accelFraction must be in (0, 0.5]");
        MachineSpec.require(payloadsKg != null && !payloadsKg.isEmpty(), "payloadsKg needs at least one mass");
        MachineSpec.require(cyclesPerPayload >= 1, "cyclesPerPayload must be >= 1");
        MachineSpec.require(pickWaypoint >= 0 && pickWaypoint < waypointsDeg.size()
                && placeWaypoint >= 0 && placeWaypoint < waypointsDeg.size(), "pick/place waypoints out of range");
        MachineSpec.require(resonanceDamping > 0 && resonanceDamping < 0.5, "resonanceDamping must be in (0, 0.5)");
        MachineSpec.require(accelRangeG > 0 && currentRangeA > 0, "sensor ranges must be positive");
        MachineSpec.require(adcBits >= 8 && adcBits <= 24, "adcBits must be in [8, 24]");
        MachineSpec.require(timingJitter >= 0 && timingJitter <= 0.2, "timingJitter must be in [0, 0.2]");
        MachineSpec.require(pausesPerHour >= 0 && pausesPerHour <= 60, "pausesPerHour must be in [0, 60]");
        // specs written before the second program existed have neither field
        otherProgramDeg = otherProgramDeg == null ? List.of() : otherProgramDeg;
        MachineSpec.require(otherProgramDeg.isEmpty() || otherProgramDeg.size() >= 2,
                "otherProgramDeg: none, or at least two waypoints");
        for (int i = 0; i < otherProgramDeg.size(); i++) {
            MachineSpec.require(otherProgramDeg.get(i).size() == axes.size(), "otherProgramDeg waypoint " + i + " has "
                    + otherProgramDeg.get(i).size() + " values, expected one per axis (" + axes.size() + ")");
        }
        MachineSpec.require(otherProgramRunsPerHour >= 0 && otherProgramRunsPerHour <= 60,
                "otherProgramRunsPerHour must be in [0, 60]");
        axes = List.copyOf(axes);
        waypointsDeg = waypointsDeg.stream().map(List::copyOf).toList();
        otherProgramDeg = otherProgramDeg.stream().map(List::copyOf).toList();
        payloadsKg = List.copyOf(payloadsKg);
    }

    @Override
    public MachineKind kind() {
        return MachineKind.ROBOT;
    }

    /**
     * This arm running its first program exactly periodically (no jitter, no pauses, never the second program):
     * for tests of the physics.
     */
    public RobotSpec exactPeriod() {
        return withProgram(waypointsDeg, pickWaypoint, placeWaypoint, 0, 0, 0);
    }

    /** This arm with another first program, timing and second program (the same physics otherwise). */
    public RobotSpec withProgram(List<List<Double>> waypoints, int pick, int place, double jitter, double pauses,
                                 double otherRunsPerHour) {
        return new RobotSpec(id, blockSeconds, vibrationRateHz, currentRateHz, tagRateHz, axes, waypoints, moveSeconds,
                dwellSeconds, accelFraction, payloadsKg, cyclesPerPayload, pick, place, resonanceDamping,
                accelRangeG, accelNoiseG, currentRangeA, currentNoiseA, adcBits, jitter, pauses, otherProgramDeg,
                otherRunsPerHour);
    }

    /**
     * A 20 kg-class arm doing pick and place, with the program's timing varying as real ones do: moves within
     * 3 % of nominal, dwells within 9 %, about four pauses an hour, and about twice an hour five cycles of a
     * second, three-waypoint program (another part, a cleaning move) in other poses.
     */
    public static RobotSpec defaults(String id) {
        List<Axis> axes = List.of(
                new Axis(Reducer.RV, 147, 10, 0.9, 4.0e-4, 0.25, 2.0e-4, 0, 0, 2_400, 0.04),
                new Axis(Reducer.RV, 153, 10, 0.9, 4.0e-4, 0.30, 2.0e-4, 220, 14, 2_100, 0.04),
                new Axis(Reducer.RV, 121, 10, 0.7, 2.5e-4, 0.20, 1.5e-4, 90, 9, 2_600, 0.035),
                new Axis(Reducer.STRAIN_WAVE, 81, 2, 0.4, 6.0e-5, 0.08, 5.0e-5, 0, 0, 2_900, 0.025),
                new Axis(Reducer.STRAIN_WAVE, 81, 2, 0.4, 6.0e-5, 0.08, 5.0e-5, 12, 2, 3_000, 0.025),
                new Axis(Reducer.STRAIN_WAVE, 51, 2, 0.3, 3.0e-5, 0.05, 3.0e-5, 0, 0, 3_100, 0.02));
        List<List<Double>> waypoints = List.of(
                List.of(0.0, 10.0, -20.0, 0.0, 30.0, 0.0),
                List.of(60.0, 35.0, -45.0, 30.0, 60.0, 90.0),
                List.of(60.0, 20.0, -30.0, 30.0, 40.0, 90.0),
                List.of(-40.0, 25.0, -10.0, -20.0, 20.0, -45.0));
        List<List<Double>> other = List.of(
                List.of(-60.0, 30.0, -40.0, -30.0, 45.0, -90.0),
                List.of(20.0, 15.0, -15.0, 10.0, 25.0, 45.0),
                List.of(70.0, 40.0, -50.0, 40.0, 55.0, 120.0));
        return new RobotSpec(id, 0.1, 6_400, 1_000, 10, axes, waypoints, 0.9, 0.3, 0.3,
                List.of(2.0, 5.0, 8.0), 5, 1, 3, 0.05, 16, 0.004, 50, 0.01, 16, 0.03, 4, other, 2);
    }
}
