package dev.vigil.model.calibrate;

import java.util.Arrays;

/**
 * Alarm levels and how the score is turned into an alarm, stored with the model.
 *
 * <p>Raw scores are smoothed with an exponentially weighted moving average ({@code alpha}); an alarm is
 * raised when the smoothed score stays above the warning level for {@code raiseAfter} consecutive windows and
 * at least two of those windows' own scores are above it too, and cleared when the smoothed score stays below
 * {@code clearRatio} x warning for {@code clearAfter} windows. The second condition is why: one window scoring
 * three times the warning holds the average above it for three windows on its own, and on simulated robots most
 * false alarms of healthy hours were exactly that (a single odd cycle); a fault scores high window after window.
 * The levels are fitted to the smoothed score alone, so the false-alarm rate is at most the one they were set for.
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
    /** Default target: one false alarm per week per machine at the warning level. */
    public static final double DEFAULT_FALSE_ALARMS_PER_WEEK = 1;
    /** Critical is this many times rarer than warning on healthy data. */
    static final double CRITICAL_RARER = 1000;
    static final double WEEK_S = 7 * 86_400;
    static final int RAISE_AFTER = 3;
    static final int CLEAR_AFTER = 5;

    /**
     * Calibrates on smoothed healthy scores held out from fitting, later in time than the fitted data, in time
     * order, for a target number of false alarms per week.
     *
     * <p>Per-window exceedance probability for the warning level: {@code q = N x cluster / windowsPerWeek}, where
     * the cluster is the mean length of the runs of consecutive windows above the calibration scores' 80th
     * percentile (smoothed scores come in runs, and one run is one alarm: the runs estimator of the extremal
     * index). Critical is {@value #CRITICAL_RARER} times rarer and at least twice warning.
     *
     * @param smoothed smoothed held-out healthy scores in time order
     * @param stepSeconds time between windows (or rows)
     * @param falseAlarmsPerWeek target alarms per week on healthy running
     */
    public static Calibration fit(double[] smoothed, double stepSeconds, double falseAlarmsPerWeek) {
        if (!(falseAlarmsPerWeek > 0) || Double.isInfinite(falseAlarmsPerWeek)) {
            throw new IllegalArgumentException("false alarms per week must be > 0, got " + falseAlarmsPerWeek);
        }
        if (!(stepSeconds > 0)) {
            throw new IllegalArgumentException("step between windows must be > 0 s, got " + stepSeconds);
        }
        PeaksOverThreshold pot = PeaksOverThreshold.fit(smoothed);
        double windowsPerWeek = WEEK_S / stepSeconds;
        double q = Math.min(0.5, falseAlarmsPerWeek * meanRun(smoothed) / windowsPerWeek);
        double warning = pot.threshold(q);
        double critical = Math.max(pot.threshold(q / CRITICAL_RARER), 2 * warning);
        return new Calibration(warning, critical, DEFAULT_ALPHA, RAISE_AFTER, CLEAR_AFTER, 0.8, q, q / CRITICAL_RARER, pot);
    }

    /** Mean length of runs of consecutive scores above their 80th percentile (at least 1). */
    static double meanRun(double[] x) {
        double[] sorted = Arrays.stream(x).filter(Double::isFinite).sorted().toArray();
        if (sorted.length < 10) {
            return 1;
        }
        double u = PeaksOverThreshold.percentile(sorted, PeaksOverThreshold.ROBUST_BASE_QUANTILE);
        int runs = 0;
        int above = 0;
        boolean prev = false;
        for (double v : x) {
            boolean a = v > u;
            above += a ? 1 : 0;
            runs += a && !prev ? 1 : 0;
            prev = a;
        }
        return runs == 0 ? 1 : Math.max(1, (double) above / runs);
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

    /** Exponentially weighted moving average, as the tracker computes it; NaN (not scored) keeps the last value. */
    public static double[] smooth(double[] scores, double alpha) {
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
        // the newest windows' own scores above warning, one bit each (bit 0 the newest)
        private int rawAbove;

        /** Feeds one raw score (NaN = not scored: the state is kept); returns the smoothed score. */
        public double update(double score) {
            if (score != score) {
                return smoothed;
            }
            smoothed = smoothed != smoothed ? score : alpha * score + (1 - alpha) * smoothed;
            rawAbove = (rawAbove << 1 | (score > warning ? 1 : 0)) & ((1 << Math.min(30, raiseAfter)) - 1);
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
            if (!alarm && above >= raiseAfter && Integer.bitCount(rawAbove) >= Math.min(2, raiseAfter)) {
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

        /** Everything the tracker knows, to continue the stream elsewhere (another instance of a cluster). */
        public AlarmState state() {
            return new AlarmState(smoothed, above, below, alarm, rawAbove);
        }

        /** Continues from a state another tracker of the same stream left. */
        public void restore(AlarmState s) {
            smoothed = s.smoothed();
            above = Math.max(0, s.above());
            below = Math.max(0, s.below());
            alarm = s.alarm();
            rawAbove = s.rawAbove() & ((1 << Math.min(30, raiseAfter)) - 1);
        }
    }

    /**
     * A tracker's state: the smoothed score (NaN before the first scored window), the windows in a row above the
     * warning level and below the clearing level, whether the alarm is up, and the newest windows' own scores above
     * warning (one bit each, bit 0 the newest).
     */
    public record AlarmState(double smoothed, int above, int below, boolean alarm, int rawAbove) {
    }

    public Tracker tracker() {
        return new Tracker();
    }
}
