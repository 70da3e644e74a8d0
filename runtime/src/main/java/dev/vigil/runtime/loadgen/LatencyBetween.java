package dev.vigil.runtime.loadgen;

import java.util.Map;
import java.util.NavigableMap;

/**
 * Percentiles of the windows measured between two moments, from a histogram's cumulative counts taken at each:
 * the service's own latency after a run's warm-up, as the WebSocket generator measures it at the client. A
 * percentile is the upper bound of the bucket it falls in (Micrometer's buckets: within about 10 %).
 */
public final class LatencyBetween {
    private LatencyBetween() {
    }

    /** @return {windows, p50 ms, p99 ms, the bound of the highest bucket with a window} */
    public static double[] of(NavigableMap<Double, Double> before, NavigableMap<Double, Double> after) {
        double total = 0;
        NavigableMap<Double, Double> counts = new java.util.TreeMap<>();
        for (Map.Entry<Double, Double> e : after.entrySet()) {
            double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            counts.put(e.getKey(), n);
        }
        // cumulative: the largest bound holds every window measured below it
        total = counts.isEmpty() ? 0 : counts.lastEntry().getValue();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double max = Double.NaN;
        double previous = 0;
        for (Map.Entry<Double, Double> e : counts.entrySet()) {
            if (p50 != p50 && e.getValue() >= 0.5 * total) {
                p50 = e.getKey();
            }
            if (p99 != p99 && e.getValue() >= 0.99 * total) {
                p99 = e.getKey();
            }
            if (e.getValue() > previous) {
                max = e.getKey();
            }
            previous = e.getValue();
        }
        return new double[]{total, p50, p99, max};
    }
}
