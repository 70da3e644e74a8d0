package dev.vigil.runtime.scheduler;

import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One machine's time to the critical level, from a two-stage degradation model fitted to the last
 * {@code trendMillis} of smoothed scores (data time): a healthy baseline {@code b} until an onset {@code t0},
 * then {@code b + c (t - t0)^2}. The detectors' scores are squared errors of features that grow with the fault's
 * amplitude, so a fault whose amplitude grows steadily adds a score growing with the square of the time since it
 * began; a straight line on the score (or on its square root without the baseline) misjudges how far along the
 * curve the machine is, and the baseline and the onset are exactly what a line cannot see.
 *
 * <p>The onset is searched on a grid; for each candidate the model is linear in {@code b} and {@code c} and fitted
 * by least squares; the candidate with the smallest squared error wins. The 95 % interval comes from the standard
 * error of {@code c} (the baseline and onset are taken as known). Scores are averaged into buckets first so that a
 * forecast costs the same whatever the scoring rate. No forecast with fewer than {@code minPoints} scores, while
 * the machine scores under half its warning level, when the growth's 95 % interval includes zero, when the degradation
 * is younger than a minute, or when the rise since the onset is less than three times the scatter around the fit or
 * less than a quarter of the way from the baseline to the critical level. Not thread-safe.
 */
public final class HealthForecast {
    private static final long BUCKET_MILLIS = 10_000;
    private static final int MIN_DEGRADATION_BUCKETS = 6;
    private static final double MIN_RISE = 0.25;

    private final long trendMillis;
    private final int minPoints;
    /** {bucket start, sum of scores, count}, oldest first. */
    private final Deque<double[]> buckets = new ArrayDeque<>();
    private long lastMillis = Long.MIN_VALUE;
    private double lastSmoothed = Double.NaN;
    private double warning = Double.NaN;
    private double critical = Double.NaN;
    private int points;

    public HealthForecast(long trendMillis, int minPoints) {
        this.trendMillis = trendMillis;
        this.minPoints = minPoints;
    }

    /** Adds a scored window (ignored when not after the previous one). */
    public void add(long epochMillis, double smoothed, double warning, double critical) {
        if (!(smoothed == smoothed) || epochMillis <= lastMillis) {
            return;
        }
        if (warning != this.warning || critical != this.critical) {
            // new levels (another model, operator feedback): scores before are on another scale
            buckets.clear();
            points = 0;
            this.warning = warning;
            this.critical = critical;
        }
        lastMillis = epochMillis;
        lastSmoothed = smoothed;
        long start = Math.floorDiv(epochMillis, BUCKET_MILLIS) * BUCKET_MILLIS;
        if (buckets.isEmpty() || buckets.peekLast()[0] != start) {
            buckets.addLast(new double[]{start, 0, 0});
        }
        double[] b = buckets.peekLast();
        b[1] += smoothed;
        b[2]++;
        points++;
        while (start - buckets.peekFirst()[0] > trendMillis) {
            points -= (int) buckets.removeFirst()[2];
        }
    }

    /** The forecast, or null. */
    public Availability.Forecast forecast() {
        if (points < minPoints || !(lastSmoothed >= 0.5 * warning) || !(critical > 0)) {
            return null;
        }
        List<double[]> xy = new ArrayList<>(buckets.size());
        for (double[] b : buckets) {
            xy.add(new double[]{(b[0] + BUCKET_MILLIS / 2.0) / 3_600_000.0, b[1] / b[2]});
        }
        double now = lastMillis / 3_600_000.0;
        double first = xy.get(0)[0];
        double step = BUCKET_MILLIS / 3_600_000.0;
        double span = trendMillis / 3_600_000.0;
        SimpleRegression best = null;
        double bestOnset = Double.NaN;
        // a degradation is seen for a minute at least before it counts: a late onset would fit the last wiggle
        // an onset before the history is a degradation that began earlier (slow faults); its baseline is then
        // extrapolated, which is why the rise below is measured inside the history only
        for (double onset = first - span; onset <= now - MIN_DEGRADATION_BUCKETS * step; onset += step) {
            SimpleRegression r = new SimpleRegression();
            for (double[] p : xy) {
                double since = Math.max(0, p[0] - onset);
                r.addData(since * since, p[1]);
            }
            if (r.getSlope() > 0 && r.getIntercept() >= 0 && (best == null || r.getSumSquaredErrors() < best.getSumSquaredErrors())) {
                best = r;
                bestOnset = onset;
            }
        }
        if (best == null) {
            return null;
        }
        double baseline = best.getIntercept();
        double c = best.getSlope();
        double err = best.getSlopeStdErr();
        double since = Math.max(0, now - bestOnset);
        // a degradation, not noise: growth distinguishable from zero, and a rise since the onset well above the
        // scatter around the fit and a quarter of the way to critical at least (healthy machines hovering near
        // half their warning level would otherwise be "forecast" to fail by every upward wiggle)
        double seenSince = Math.max(0, first - bestOnset);
        double rise = c * (since * since - seenSince * seenSince);
        double scatter = Math.sqrt(best.getMeanSquareError());
        if (!(c - 1.96 * err > 0) || !(rise > 3 * scatter) || !(rise >= MIN_RISE * (critical - baseline))) {
            return null;
        }
        double minutes = Math.min(now - first, since) * 60;
        if (!(critical > baseline)) {
            return new Availability.Forecast(0, 0, 0, minutes);
        }
        double hours = hoursLeft(baseline, c, bestOnset, now);
        double fast = hoursLeft(baseline, c + 1.96 * err, bestOnset, now);
        double slow = hoursLeft(baseline, c - 1.96 * err, bestOnset, now);
        return new Availability.Forecast(hours, fast, slow, minutes);
    }

    private double hoursLeft(double baseline, double c, double onset, double now) {
        return Math.max(0, onset + Math.sqrt((critical - baseline) / c) - now);
    }
}
