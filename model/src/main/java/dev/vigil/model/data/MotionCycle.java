package dev.vigil.model.data;

import java.util.List;

/**
 * The period of a robot's repeating motion program, found in its joint positions: the lag at which the
 * positions of all joints together best match themselves (autocorrelation), preferring the shortest lag that
 * matches about as well (a cycle, not two of them). Programs jitter and pause; the peak stays at the typical
 * cycle.
 */
final class MotionCycle {
    /** Positions are averaged down to this rate before correlating: moves last tenths of seconds at least. */
    static final double RATE_HZ = 50;
    static final double MIN_S = 0.5;
    static final double MAX_S = 60;
    /** A repeating program's positions correlate at least this well one cycle apart. */
    static final double MIN_CORRELATION = 0.6;

    private MotionCycle() {
    }

    /**
     * @param joints each joint's positions at {@code rateHz}, same length
     * @return the cycle in seconds, or NaN when the motion does not repeat within a minute
     */
    static double of(List<float[]> joints, double rateHz) {
        int factor = Math.max(1, (int) Math.round(rateHz / RATE_HZ));
        double rate = rateHz / factor;
        int n = joints.isEmpty() ? 0 : joints.get(0).length / factor;
        double[][] x = new double[joints.size()][n];
        double total = 0;
        for (int j = 0; j < joints.size(); j++) {
            float[] q = joints.get(j);
            double mean = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < factor; k++) {
                    float v = q[i * factor + k];
                    s += v == v ? v : 0;
                }
                x[j][i] = s / factor;
                mean += x[j][i];
            }
            mean /= Math.max(1, n);
            for (int i = 0; i < n; i++) {
                x[j][i] -= mean;
                total += x[j][i] * x[j][i];
            }
        }
        int lo = (int) Math.ceil(MIN_S * rate);
        int hi = Math.min((int) (MAX_S * rate), n / 3);
        if (hi <= lo || total == 0) {
            return Double.NaN;
        }
        double[] r = new double[hi + 2];
        for (int lag = lo - 1; lag <= hi + 1; lag++) {
            double s = 0;
            double a = 0;
            double b = 0;
            for (double[] xj : x) {
                for (int i = 0; i + lag < n; i++) {
                    s += xj[i] * xj[i + lag];
                    a += xj[i] * xj[i];
                    b += xj[i + lag] * xj[i + lag];
                }
            }
            r[lag] = s / Math.sqrt(a * b);
        }
        int best = -1;
        for (int lag = lo; lag <= hi; lag++) {
            if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && (best < 0 || r[lag] > r[best])) {
                best = lag;
            }
        }
        if (best < 0 || r[best] < MIN_CORRELATION) {
            return Double.NaN;
        }
        int shortest = best;
        for (int lag = lo; lag < best; lag++) {
            if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] >= 0.9 * r[best]) {
                shortest = lag;
                break;
            }
        }
        // refine between samples: parabola through the peak and its neighbours
        double a = r[shortest - 1];
        double b = r[shortest];
        double c = r[shortest + 1];
        double denom = a - 2 * b + c;
        double offset = denom < 0 ? 0.5 * (a - c) / denom : 0;
        return (shortest + Math.max(-0.5, Math.min(0.5, offset))) / rate;
    }
}
