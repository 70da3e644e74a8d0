package dev.vigil.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The robot's repeating motion program: synchronised trapezoidal-velocity moves between waypoints, each
 * followed by a dwell. Evaluated analytically at any time, so every channel sees the same trajectory whatever
 * its sample rate.
 *
 * <p>A real program does not repeat to the millisecond: with {@link RobotSpec#timingJitter()} every move and
 * dwell of every cycle takes its own time (moves within that fraction of nominal, dwells within three times
 * it: waiting for a part, a conveyor, an interlock), and {@link RobotSpec#pausesPerHour()} now and then holds the
 * program at a waypoint for 2 to 20 s. With a second program ({@link RobotSpec#otherProgramDeg()}), runs of
 * {@value RobotSpec#OTHER_PROGRAM_CYCLES} cycles now and then follow it instead. The timing and program of cycle
 * c depend only on the run's seed and c, so any time can be evaluated, in any order.
 */
final class RobotMotion {
    private final RobotSpec spec;
    private final int axes;
    private final double moveS;
    private final double cycleS;
    private final long seed;
    // cycle start times (seconds) and, per cycle, each move's duration and each dwell's, as far as evaluated
    private final List<Double> starts = new ArrayList<>();
    private final List<Cycle> timings = new ArrayList<>();
    private int at;

    // results of the last eval, in degrees, deg/s, deg/s^2
    final double[] q;
    final double[] qd;
    final double[] qdd;
    double payloadKg;
    long cycle;
    int move;
    boolean moving;
    double moveTime;
    /** The program of the cycle evaluated last: 1 the first, 2 the second. */
    int program = 1;
    /**
     * The program the controller reports: the cycle's, except in its last move and dwell when the next cycle
     * runs the other program (the move that takes the arm to the new program's first pose is the new program's).
     */
    int programTag = 1;
    // the program of the cycle after it: its last move goes to that program's first waypoint
    private int nextProgram = 1;

    RobotMotion(RobotSpec spec, long seed) {
        this.spec = spec;
        this.axes = spec.axes().size();
        this.moveS = spec.moveSeconds();
        this.cycleS = (moveS + spec.dwellSeconds()) * spec.waypointsDeg().size();
        this.seed = seed;
        starts.add(0.0);
        timings.add(timing(0));
        this.q = new double[axes];
        this.qd = new double[axes];
        this.qdd = new double[axes];
    }

    /** The nominal cycle time (without jitter or pauses). */
    double cycleSeconds() {
        return cycleS;
    }

    /** The program cycle c follows: runs of the second one start at whole multiples of its run length. */
    private int programOf(long c) {
        if (spec.otherProgramDeg().isEmpty() || spec.otherProgramRunsPerHour() <= 0) {
            return 1;
        }
        long run = c / RobotSpec.OTHER_PROGRAM_CYCLES;
        double chance = spec.otherProgramRunsPerHour() * RobotSpec.OTHER_PROGRAM_CYCLES * cycleS / 3600;
        return new SplittableRandom(~seed ^ (run * 0xC2B2AE3D27D4EB4FL)).nextDouble() < chance ? 2 : 1;
    }

    private List<List<Double>> path(int program) {
        return program == 2 ? spec.otherProgramDeg() : spec.waypointsDeg();
    }

    /**
     * One cycle's program, the next cycle's (its last move leads there) and its durations: move m at [2m], the
     * dwell after it at [2m + 1].
     */
    private record Cycle(int program, int next, double[] durations) {
    }

    private Cycle timing(long c) {
        int program = programOf(c);
        int moves = path(program).size();
        double[] d = new double[2 * moves];
        SplittableRandom r = new SplittableRandom(seed ^ (c * 0x9E3779B97F4A7C15L));
        double jitter = spec.timingJitter();
        for (int m = 0; m < moves; m++) {
            d[2 * m] = moveS * (1 + jitter * (2 * r.nextDouble() - 1));
            d[2 * m + 1] = spec.dwellSeconds() * (1 + 3 * jitter * (2 * r.nextDouble() - 1));
        }
        // pauses: a Poisson number per cycle, each holding the program at one waypoint
        double expected = spec.pausesPerHour() * cycleS / 3600;
        if (expected > 0 && r.nextDouble() < expected) {
            d[2 * r.nextInt(moves) + 1] += 2 + 18 * r.nextDouble();
        }
        return new Cycle(program, programOf(c + 1), d);
    }

    /** Index of the cycle holding time t (extending the schedule as needed). */
    private int locate(double t) {
        while (at > 0 && t < starts.get(at)) {
            at--;
        }
        while (true) {
            if (at + 1 == starts.size()) {
                double end = starts.get(at);
                for (double v : timings.get(at).durations()) {
                    end += v;
                }
                starts.add(end);
                timings.add(timing(at + 1));
            }
            if (t < starts.get(at + 1)) {
                return at;
            }
            at++;
        }
    }

    /** Waypoint {@code index} of the first program. */
    double waypoint(int index, int axis) {
        return waypoint(1, index, axis);
    }

    private double waypoint(int program, int index, int axis) {
        List<List<Double>> path = path(program);
        return path.get(Math.floorMod(index, path.size())).get(axis);
    }

    /** Where move m of the program evaluated last ends: its last move leads into the next cycle's program. */
    private double destination(int m, int axis) {
        return Math.floorMod(m + 1, moves()) == 0 ? waypoint(nextProgram, 0, axis) : waypoint(program, m + 1, axis);
    }

    /** Moves in a cycle of the program evaluated last. */
    int moves() {
        return path(program).size();
    }

    /** Direction (-1, 0, 1) of the given axis during move m (from waypoint m to m + 1) of the program evaluated last. */
    int direction(int m, int axis) {
        return (int) Math.signum(destination(m, axis) - waypoint(program, m, axis));
    }

    void eval(double t) {
        int c = locate(Math.max(0, t));
        cycle = c;
        double[] d = timings.get(c).durations();
        int moves = d.length / 2;
        program = timings.get(c).program();
        // kept with the cycle: eval runs for every sample of every channel, and a cycle's program is a random draw
        nextProgram = timings.get(c).next();
        double tau = Math.max(0, t) - starts.get(c);
        move = moves - 1;
        for (int m = 0; m < moves; m++) {
            if (tau < d[2 * m] + d[2 * m + 1] || m == moves - 1) {
                move = m;
                break;
            }
            tau -= d[2 * m] + d[2 * m + 1];
        }
        double moveS = d[2 * move];
        double ta = spec.accelFraction() * moveS;
        double vmax = 1 / (moveS - ta);
        programTag = move == moves - 1 ? nextProgram : program;
        moving = tau < moveS;
        moveTime = tau;
        double s;
        double sd;
        double sdd;
        if (!moving) {
            s = 1;
            sd = 0;
            sdd = 0;
        } else if (tau < ta) {
            s = 0.5 * vmax * tau * tau / ta;
            sd = vmax * tau / ta;
            sdd = vmax / ta;
        } else if (tau < moveS - ta) {
            s = 0.5 * vmax * ta + vmax * (tau - ta);
            sd = vmax;
            sdd = 0;
        } else {
            double r = moveS - tau;
            s = 1 - 0.5 * vmax * r * r / ta;
            sd = vmax * r / ta;
            sdd = -vmax / ta;
        }
        for (int a = 0; a < axes; a++) {
            double from = waypoint(program, move, a);
            double delta = destination(move, a) - from;
            q[a] = from + delta * s;
            qd[a] = delta * sd;
            qdd[a] = delta * sdd;
        }
        List<Double> payloads = spec.payloadsKg();
        double mass = payloads.get((int) ((cycle / spec.cyclesPerPayload()) % payloads.size()));
        // carried from the pick waypoint until the place waypoint; the second program carries no part
        int pick = spec.pickWaypoint();
        int place = spec.placeWaypoint();
        // the waypoint most recently reached: during a move, its start; during the dwell, its end
        int last = moving ? move : (move + 1) % moves;
        boolean holding = pick <= place ? last >= pick && last < place : last >= pick || last < place;
        payloadKg = holding && program == 1 ? mass : 0;
    }
}
