package dev.vigil.model.feature;

import dev.vigil.model.signal.Moments;

/**
 * Recognises a failing measurement in one window so that it is reported as a sensor problem and never
 * scored as a machine anomaly: dropout (missing samples), non-finite (infinite samples), flatline (stuck output),
 * clipping (many samples on the extremes), spikes (isolated samples far outside the signal's spread).
 */
public final class SensorCheck {
    // a few missing samples already bend spectra and moments: such a window is a dropout, not a measurement
    private static final double MAX_MISSING = 0.005;
    private static final double SPIKE_SIGMAS = 10;

    private SensorCheck() {
    }

    /** The problem found in {@code x}, as {@code type:channel}, or null when the window looks like a sound measurement. */
    public static String check(String channel, float[] x) {
        return check(channel, x, Moments.of(x, 0, x.length));
    }

    /** As {@link #check(String, float[])}, with the window's moments already computed for its features. */
    static String check(String channel, float[] x, Moments m) {
        int n = x.length;
        if (m.missing() > MAX_MISSING * n) {
            return "dropout:" + channel;
        }
        float min = m.min();
        float max = m.max();
        // an infinite sample (a converter's overflow code, a broken gateway) makes the spread infinite and every
        // statistic after it NaN: a measurement problem, never a machine anomaly
        if (Float.isInfinite(min) || Float.isInfinite(max)) {
            return "non-finite:" + channel;
        }
        int atMin = m.atMin();
        int atMax = m.atMax();
        int finite = m.count();
        if (finite > 1 && min == max) {
            return "flatline:" + channel;
        }
        // a quantised healthy signal touches its extremes a handful of times; a clipped one sits on them
        int rail = Math.max(8, finite / 500);
        if (atMin > rail && atMax > rail) {
            return "clipping:" + channel;
        }
        double mean = m.mean();
        double sd = m.rms();
        double limit = SPIKE_SIGMAS * sd;
        // no sample that far out: no spike, and no need to look for one
        if (sd > 0 && n >= 5 && m.peak() > limit) {
            // isolated: far out while two samples either side stay inside the normal spread; a ringing impact
            // (a bearing defect) swings its neighbours too, even when sampling catches one near zero
            for (int i = 2; i < n - 2; i++) {
                float v = x[i];
                if (v == v && Math.abs(v - mean) > limit && quiet(x, i - 2, mean, sd) && quiet(x, i - 1, mean, sd)
                        && quiet(x, i + 1, mean, sd) && quiet(x, i + 2, mean, sd)) {
                    return "spikes:" + channel;
                }
            }
        }
        return null;
    }

    private static boolean quiet(float[] x, int i, double mean, double sd) {
        return x[i] != x[i] || Math.abs(x[i] - mean) < 3 * sd;
    }
}
