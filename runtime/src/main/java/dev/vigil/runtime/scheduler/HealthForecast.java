package dev.vigil.runtime.scheduler;

import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One machine's time to the critical level: a straight line fitted to the square root of the last
 * {@code trendMillis} of smoothed scores (data time), projected to the square root of the critical level, with a
 * 95 % interval from the slope's standard error. The detectors' scores are squared errors, so their square root
 * grows like the fault's amplitude: linearly while a fault grows steadily, where the score itself curves upward
 * and a straight line on it would promise too much time.
 * No forecast with fewer than {@code minPoints} scores or when the trend is not rising. Not thread-safe.
 */
public final class HealthForecast {
    private final long trendMillis;
    private final int minPoints;
    private final Deque<double[]> points = new ArrayDeque<>();

    public HealthForecast(long trendMillis, int minPoints) {
        this.trendMillis = trendMillis;
        this.minPoints = minPoints;
    }

    /**
     * Adds a scored window (ignored when not after the previous one). Only the degradation counts: a score back
     * under half the warning level starts the trend afresh, so healthy running does not flatten the line.
     */
    public void add(long epochMillis, double smoothed, double warning, double critical) {
        if (!(smoothed == smoothed) || (!points.isEmpty() && points.peekLast()[0] >= epochMillis)) {
            return;
        }
        if (smoothed < 0.5 * warning) {
            points.clear();
            return;
        }
        points.addLast(new double[]{epochMillis, smoothed, critical});
        while (points.peekLast()[0] - points.peekFirst()[0] > trendMillis) {
            points.removeFirst();
        }
    }

    /** The forecast, or null. */
    public Availability.Forecast forecast() {
        if (points.size() < minPoints) {
            return null;
        }
        SimpleRegression r = new SimpleRegression();
        double t0 = points.peekFirst()[0];
        for (double[] p : points) {
            r.addData((p[0] - t0) / 3_600_000.0, Math.sqrt(Math.max(0, p[1])));
        }
        double slope = r.getSlope();
        double critical = Math.sqrt(points.peekLast()[2]);
        if (!(slope > 0) || !(critical > 0)) {
            return null;
        }
        double level = r.predict((points.peekLast()[0] - t0) / 3_600_000.0);
        double gap = Math.max(0, critical - level);
        double err = r.getSlopeStdErr();
        double fast = slope + 1.96 * err;
        double slow = slope - 1.96 * err;
        double minutes = (points.peekLast()[0] - t0) / 60_000.0;
        return new Availability.Forecast(gap / slope, gap / fast, slow > 0 ? gap / slow : Double.POSITIVE_INFINITY, minutes);
    }
}
