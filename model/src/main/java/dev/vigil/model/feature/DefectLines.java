package dev.vigil.model.feature;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.FaultType;
import dev.vigil.model.signal.Spectrum;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How clearly each bearing defect's line series stands out of one channel's envelope spectrum in one window:
 * the mean, over the first two harmonics of the defect's impact rate, of the line's height above the local
 * floor of the envelope spectrum, in dB. Outer race: BPFO; inner race: BPFI; rolling element: 2 x BSF (a ball
 * strikes both races once per spin turn).
 *
 * <p>This is diagnosis, not detection: it never enters the detector. The detector's envelope features are
 * search-window peaks, which an impulsive defect lifts everywhere at once (the broadband floor of the envelope
 * rises with it), so they tell that a bearing is damaged but not which part. A line's height over its own
 * neighbourhood is what an analyst reads off an envelope spectrum, and it does not rise with the floor.
 *
 * @param channel the vibration channel
 * @param outer BPFO series over the floor, dB (NaN where it cannot be measured)
 * @param inner BPFI series over the floor, dB
 * @param ball 2 x BSF series over the floor, dB
 */
public record DefectLines(String channel, double outer, double inner, double ball) {
    private static final int HARMONICS = 2;
    /** Rolling elements slip: a defect line sits up to a few per cent below its kinematic frequency. */
    private static final double SLIP_LO = 0.96;
    private static final double SLIP_HI = 1.01;
    /** Windows on each side of a line that measure the floor beside it. */
    private static final int SIDE_WINDOWS = 4;

    /** The series of one window's envelope spectrum; shaft rate in Hz (must be turning). */
    static DefectLines of(String channel, Spectrum envelope, double shaftHz, BearingGeometry bearing) {
        double[] rates = {bearing.bpfoHz(shaftHz), bearing.bpfiHz(shaftHz), 2 * bearing.bsfHz(shaftHz)};
        double[] db = new double[rates.length];
        for (int d = 0; d < rates.length; d++) {
            db[d] = series(envelope, rates, d);
        }
        return new DefectLines(channel, db[0], db[1], db[2]);
    }

    private static double series(Spectrum env, double[] rates, int d) {
        double tol = env.binHz();
        double sum = 0;
        int n = 0;
        for (int h = 1; h <= HARMONICS; h++) {
            double hz = h * rates[d];
            // a harmonic that coincides with another defect's line (3 x BPFO and 2 x BPFI on some bearings) is
            // evidence for neither
            if (!coincides(hz, rates, d, tol)) {
                double db = heightDb(env, hz, tol);
                if (db == db) {
                    sum += db;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static boolean coincides(double hz, double[] rates, int own, double tol) {
        for (int d = 0; d < rates.length; d++) {
            for (int h = 1; h <= HARMONICS && d != own; h++) {
                if (Math.abs(h * rates[d] - hz) <= 0.04 * hz + 2 * tol) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The highest bin in the slip window over the median of the highest bins of equally wide windows beside it,
     * in dB: a maximum over several noise bins beats their median by several dB, so the floor is measured the
     * same way as the line and noise alone reads about 0 dB.
     */
    private static double heightDb(Spectrum env, double hz, double tol) {
        double[] a = env.amplitudes();
        double bin = env.binHz();
        int lo = (int) Math.floor((hz * SLIP_LO - tol) / bin);
        int hi = (int) Math.ceil((hz * SLIP_HI + tol) / bin);
        int width = hi - lo + 1;
        if (hi + SIDE_WINDOWS * width >= a.length) {
            return Double.NaN;
        }
        double[] maxima = new double[2 * SIDE_WINDOWS];
        int n = 0;
        for (int w = 1; w <= SIDE_WINDOWS; w++) {
            n = addMax(a, hi + 1 + (w - 1) * width, width, maxima, n);
            n = addMax(a, lo - w * width, width, maxima, n);
        }
        if (n < SIDE_WINDOWS) {
            return Double.NaN;
        }
        Arrays.sort(maxima, 0, n);
        double floor = n % 2 == 1 ? maxima[n / 2] : 0.5 * (maxima[n / 2 - 1] + maxima[n / 2]);
        return 20 * Math.log10(Math.max(max(a, lo, width), 1e-12) / Math.max(floor, 1e-12));
    }

    private static int addMax(double[] a, int from, int width, double[] out, int n) {
        if (from < 1) {
            return n;
        }
        out[n] = max(a, from, width);
        return n + 1;
    }

    private static double max(double[] a, int from, int width) {
        double m = 0;
        for (int k = Math.max(1, from); k < from + width; k++) {
            m = Math.max(m, a[k]);
        }
        return m;
    }

    /** The measurable heights by bearing fault (outer race, inner race, ball). */
    public Map<FaultType, Double> byFault() {
        Map<FaultType, Double> m = new LinkedHashMap<>();
        put(m, FaultType.BEARING_OUTER, outer);
        put(m, FaultType.BEARING_INNER, inner);
        put(m, FaultType.BEARING_BALL, ball);
        return m;
    }

    private static void put(Map<FaultType, Double> m, FaultType fault, double db) {
        if (db == db) {
            m.put(fault, db);
        }
    }
}
