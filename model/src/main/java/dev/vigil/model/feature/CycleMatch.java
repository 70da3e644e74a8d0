package dev.vigil.model.feature;

import java.util.List;

/**
 * Where the motion cycle that starts a window ends: the lag, within {@value #TOLERANCE} of the typical cycle,
 * at which the joints repeat what they did in the window's first {@value #MATCH_S} s, and go on repeating it for
 * {@value #VERIFY_S} s (a quarter of the cycle where that is shorter). A real program's cycles differ by a few per
 * cent (a dwell waits for a part); features over exactly one cycle hold every move once, wherever the window
 * started and however long this cycle took. No match means the window holds no complete ordinary cycle (a
 * pause, another motion).
 *
 * <p>Why two lengths: the short stretch finds the cycle's end precisely (each move jitters on its own, so a longer
 * stretch averages over two moves and cut cycles up to 0.1 s off, which healthy windows scored as anomalies); the
 * longer one rejects a cycle followed by the move into another program, which starts from rest and differs little
 * in its first half second (matched about 4 % early without it, and its window alarmed).
 */
public final class CycleMatch {
    /** How far a cycle may differ from the typical one and still be an ordinary cycle. */
    static final double TOLERANCE = 0.15;
    static final double MATCH_S = 0.5;
    static final double VERIFY_S = 1.0;
    /** Joint positions are compared at this rate. */
    static final double RATE_HZ = 100;
    /** RMS mismatch over the matched stretch, relative to the joints' spread over the window, that still matches. */
    static final double MAX_MISMATCH = 0.1;

    private CycleMatch() {
    }

    /** The window that holds the longest ordinary cycle and the stretch that finds its end. */
    public static double windowFor(double cycleS) {
        return cycleS * (1 + TOLERANCE) + Math.min(VERIFY_S, cycleS / 4);
    }

    /**
     * @param joints each joint's positions over the window, same rate and length
     * @param rateHz their sample rate
     * @param cycleS the typical cycle
     * @return this cycle's length in seconds, or NaN when none matches
     */
    public static double length(List<float[]> joints, double rateHz, double cycleS) {
        int n = joints.stream().mapToInt(j -> j.length).min().orElse(0);
        int step = Math.max(1, (int) Math.round(rateHz / RATE_HZ));
        int lo = (int) Math.floor(cycleS * (1 - TOLERANCE) * rateHz / step);
        int hi = (int) Math.ceil(cycleS * (1 + TOLERANCE) * rateHz / step);
        int m = n / step;
        int match = Math.max(1, (int) Math.round(Math.min(MATCH_S, cycleS / 4) * rateHz / step));
        if (hi + match > m || n == 0) {
            return Double.NaN;
        }
        double spread = 0;
        for (float[] q : joints) {
            double mean = 0;
            for (int i = 0; i < m; i++) {
                mean += q[i * step];
            }
            mean /= m;
            for (int i = 0; i < m; i++) {
                spread += (q[i * step] - mean) * (q[i * step] - mean);
            }
        }
        spread /= (double) m * joints.size();
        int best = -1;
        double bestErr = Double.MAX_VALUE;
        for (int lag = lo; lag <= hi; lag++) {
            double err = mismatch(joints, step, lag, match);
            if (err < bestErr) {
                bestErr = err;
                best = lag;
            }
        }
        if (best < 0 || !(spread > 0) || bestErr > MAX_MISMATCH * Math.sqrt(spread)) {
            return Double.NaN;
        }
        // windows cut for a shorter check (bundles made before) verify over what they hold
        int verify = Math.max(match, Math.min(m - best,
                (int) Math.round(Math.min(VERIFY_S, cycleS / 4) * rateHz / step)));
        return mismatch(joints, step, best, verify) > MAX_MISMATCH * Math.sqrt(spread) ? Double.NaN
                : (double) best * step / rateHz;
    }

    /** RMS difference between the first {@code length} points and those {@code lag} later, over all joints. */
    private static double mismatch(List<float[]> joints, int step, int lag, int length) {
        double err = 0;
        for (float[] q : joints) {
            for (int k = 0; k < length; k++) {
                double d = q[k * step] - q[(k + lag) * step];
                err += d == d ? d * d : 0;
            }
        }
        return Math.sqrt(err / ((double) length * joints.size()));
    }
}
