package dev.vigil.sim;

import java.util.List;

/**
 * The robot's repeating motion program: synchronised trapezoidal-velocity moves between waypoints, each
 * followed by a dwell. Evaluated analytically at any time, so every channel sees the same trajectory whatever
 * its sample rate.
 */
final class RobotMotion {
    private final RobotSpec spec;
    private final int axes;
    private final int moves;
    private final double moveS;
    private final double segmentS;
    private final double cycleS;
    private final double vmax;   // normalised: path fraction per second at cruise
    private final double ta;     // acceleration time

    // results of the last eval, in degrees, deg/s, deg/s^2
    final double[] q;
    final double[] qd;
    final double[] qdd;
    double payloadKg;
    long cycle;
    int move;
    boolean moving;
    double moveTime;

    RobotMotion(RobotSpec spec) {
        this.spec = spec;
        this.axes = spec.axes().size();
        this.moves = spec.waypointsDeg().size();
        this.moveS = spec.moveSeconds();
        this.segmentS = moveS + spec.dwellSeconds();
        this.cycleS = segmentS * moves;
        this.ta = spec.accelFraction() * moveS;
        this.vmax = 1 / (moveS - ta);
        this.q = new double[axes];
        this.qd = new double[axes];
        this.qdd = new double[axes];
    }

    double cycleSeconds() {
        return cycleS;
    }

    double waypoint(int index, int axis) {
        return spec.waypointsDeg().get(Math.floorMod(index, moves)).get(axis);
    }

    /** Direction (-1, 0, 1) of the given axis during move m (from waypoint m to m + 1). */
    int direction(int m, int axis) {
        return (int) Math.signum(waypoint(m + 1, axis) - waypoint(m, axis));
    }

    void eval(double t) {
        cycle = (long) Math.floor(t / cycleS);
        double inCycle = t - cycle * cycleS;
        move = Math.min(moves - 1, (int) (inCycle / segmentS));
        double tau = inCycle - move * segmentS;
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
