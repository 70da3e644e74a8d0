package dev.vigil.model.data;

/**
 * Streaming profile of one signal (a CSV column or a tag channel): missing values, the longest run of
 * identical values, monotonicity, time at the extremes. Constant memory, any length.
 */
final class SignalProfile {
    final String name;
    long count;
    long missing;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long atMin;
    long atMax;
    private double prev = Double.NaN;
    private long run;
    private long runStart;
    long longestRun;
    long longestRunStart;
    long rises;
    long falls;
    double sum;
    double sumSq;
    private final java.util.Set<Double> distinctValues = new java.util.HashSet<>();
    static final int DISTINCT_CAP = 21;
    /** Value counts up to this many distinct values (enough to see a handful of levels among transitions). */
    static final int HISTOGRAM_CAP = 1024;
    private final java.util.Map<Double, Long> histogram = new java.util.HashMap<>();
    private boolean histogramFull;

    SignalProfile(String name) {
        this.name = name;
    }

    void add(long row, double v) {
        count++;
        if (v != v) {
            missing++;
            return;
        }
        sum += v;
        sumSq += v * v;
        if (distinctValues.size() < DISTINCT_CAP) {
            distinctValues.add(v);
        }
        if (!histogramFull) {
            histogram.merge(v, 1L, Long::sum);
            histogramFull = histogram.size() > HISTOGRAM_CAP;
        }
        if (v < min) {
            min = v;
            atMin = 0;
        }
        if (v > max) {
            max = v;
            atMax = 0;
        }
        if (v == min) {
            atMin++;
        }
        if (v == max) {
            atMax++;
        }
        if (v == prev) {
            run++;
        } else {
            if (prev == prev) {
                if (v > prev) {
                    rises++;
                } else {
                    falls++;
                }
            }
            run = 1;
            runStart = row;
        }
        if (run > longestRun) {
            longestRun = run;
            longestRunStart = runStart;
        }
        prev = v;
    }

    /** Distinct values seen, capped at {@value #DISTINCT_CAP}. */
    int distinct() {
        return distinctValues.size();
    }

    /**
     * Share of the finite values that sit on the {@code levels} most frequent values; 0 when the values are too
     * varied to count.
     */
    double shareOnTopLevels(int levels) {
        if (histogramFull || finite() == 0) {
            return 0;
        }
        long on = histogram.values().stream().sorted(java.util.Comparator.reverseOrder()).limit(levels)
                .mapToLong(Long::longValue).sum();
        return (double) on / finite();
    }

    long finite() {
        return count - missing;
    }

    boolean constant() {
        return finite() > 1 && min == max;
    }

    /** Never falls (or never rises) while changing often: a counter or a clock, not a sensor. */
    boolean monotonic() {
        long changes = rises + falls;
        return changes >= 10 && (rises == 0 || falls == 0);
    }

    double std() {
        long n = finite();
        if (n < 2) {
            return 0;
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }
}
