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
 * program at a waypoint for 2 to 20 s. The timing of cycle c depends only on the run's seed and c, so any time
 * can be evaluated, in any order.
 */
final class RobotMotion {
    private final RobotSpec spec;
    private final int axes;
    private final int moves;
    private final double moveS;
    private final double cycleS;
    private final long seed;
    // cycle start times (seconds) and, per cycle, each move's duration and each dwell's, as far as evaluated
    private final List<Double> starts = new ArrayList<>();
    private final List<double[]> timings = new ArrayList<>();
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

    RobotMotion(RobotSpec spec, long seed) {
        this.spec = spec;
        this.axes = spec.axes().size();
        this.moves = spec.waypointsDeg().size();
        this.moveS = spec.moveSeconds();
        this.cycleS = (moveS + spec.dwellSeconds()) * moves;
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

    /** Durations of cycle c: move m at [2m], the dwell after it at [2m + 1]. */
    private double[] timing(long c) {
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
        return d;
    }

    /** Index of the cycle holding time t (extending the schedule as needed). */
    private int locate(double t) {
        while (at > 0 && t < starts.get(at)) {
            at--;
        }
        while (true) {
            if (at + 1 == starts.size()) {
                double[] d = timings.get(at);
                double end = starts.get(at);
                for (double v : d) {
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

    double waypoint(int index, int axis) {
        return spec.waypointsDeg().get(Math.floorMod(index, moves)).get(axis);
    }

    /** Direction (-1, 0, 1) of the given axis during move m (from waypoint m to m + 1). */
    int direction(int m, int axis) {
        return (int) Math.signum(waypoint(m + 1, axis) - waypoint(m, axis));
    }

    void eval(double t) {
        int c = locate(Math.max(0, t));
        cycle = c;
        double[] d = timings.get(c);
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
            double from = waypoint(move, a);
            double delta = waypoint(move + 1, a) - from;
            q[a] = from + delta * s;
            qd[a] = delta * sd;
            qdd[a] = delta * sdd;
        }
        List<Double> payloads = spec.payloadsKg();
        double mass = payloads.get((int) ((cycle / spec.cyclesPerPayload()) % payloads.size()));
        // carried from the pick waypoint until the place waypoint
        int pick = spec.pickWaypoint();
        int place = spec.placeWaypoint();
        // the waypoint most recently reached: during a move, its start; during the dwell, its end
        int last = moving ? move : (move + 1) % moves;
        boolean holding = pick <= place ? last >= pick && last < place : last >= pick || last < place;
        payloadKg = holding ? mass : 0;
    }
}
