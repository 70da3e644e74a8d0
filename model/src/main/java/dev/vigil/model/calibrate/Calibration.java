package dev.vigil.model.calibrate;

import java.util.Arrays;

/**
 * Alarm levels and how the score is turned into an alarm, stored with the model.
 *
 * <p>Raw scores are smoothed with an exponentially weighted moving average ({@code alpha}); an alarm is
 * raised when the smoothed score stays above the warning level for {@code raiseAfter} consecutive windows
 * and cleared when it stays below {@code clearRatio} x warning for {@code clearAfter} windows.
 *
 * @param warning warning level of the smoothed score
 * @param critical critical level of the smoothed score
 * @param alpha EWMA weight of the newest score
 * @param raiseAfter consecutive windows above warning before an alarm
 * @param clearAfter consecutive windows below the clear level before it clears
 * @param clearRatio clear level as a fraction of warning
 * @param warningRate target probability per window of a healthy smoothed score above warning
 * @param criticalRate the same for critical
 * @param tail the fitted tail of healthy smoothed scores
 */
public record Calibration(double warning, double critical, double alpha, int raiseAfter, int clearAfter,
                          double clearRatio, double warningRate, double criticalRate, PeaksOverThreshold tail) {

    public static final double DEFAULT_ALPHA = 0.3;
    public static final double DEFAULT_WARNING_RATE = 1e-4;
    public static final double DEFAULT_CRITICAL_RATE = 1e-7;

    /** Calibrates on raw healthy scores held out from fitting, in time order. */
    public static Calibration fit(double[] heldOutScores, double alpha, double warningRate, double criticalRate) {
        double[] smooth = smooth(heldOutScores, alpha);
        PeaksOverThreshold pot = PeaksOverThreshold.fit(smooth);
        double[] sorted = Arrays.stream(smooth).filter(Double::isFinite).sorted().toArray();
        double warning = pot.threshold(warningRate, sorted);
        double critical = Math.max(pot.threshold(criticalRate, sorted), 2 * warning);
        return new Calibration(warning, critical, alpha, 3, 5, 0.8, warningRate, criticalRate, pot);
    }

    /**
     * The same calibration with both levels multiplied by {@code factor} (operators' feedback raising a
     * machine's levels after false alarms).
     */
    public Calibration scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("level factor must be positive, got " + factor);
        }
        return new Calibration(warning * factor, critical * factor, alpha, raiseAfter, clearAfter, clearRatio,
                warningRate, criticalRate, tail);
    }

    static double[] smooth(double[] scores, double alpha) {
        double[] out = new double[scores.length];
        double s = Double.NaN;
        for (int i = 0; i < scores.length; i++) {
            double v = scores[i];
            if (v == v) {
                s = s != s ? v : alpha * v + (1 - alpha) * s;
            }
            out[i] = s;
        }
        return out;
    }

    /** Turns a stream of raw scores into smoothed scores and alarm states. One per stream; not thread-safe. */
    public final class Tracker {
        private double smoothed = Double.NaN;
        private int above;
        private int below;
        private boolean alarm;

        /** Feeds one raw score (NaN = not scored: the state is kept); returns the smoothed score. */
        public double update(double score) {
            if (score != score) {
                return smoothed;
            }
            smoothed = smoothed != smoothed ? score : alpha * score + (1 - alpha) * smoothed;
            if (smoothed > warning) {
                above++;
                below = 0;
            } else if (smoothed < clearRatio * warning) {
                below++;
                above = 0;
            } else {
                above = 0;
                below = 0;
            }
            if (!alarm && above >= raiseAfter) {
                alarm = true;
            } else if (alarm && below >= clearAfter) {
                alarm = false;
            }
            return smoothed;
        }

        public boolean alarm() {
            return alarm;
        }

        public boolean critical() {
            return alarm && smoothed > critical;
        }

        public double smoothed() {
            return smoothed;
        }
    }

    public Tracker tracker() {
        return new Tracker();
    }
}
