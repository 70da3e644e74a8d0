package dev.vigil.model.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Data-quality checks of one tabular file's modelled columns, from streaming profiles: empty columns stop
 * training; mostly-missing columns, long stuck stretches, monotonic columns and clipping are warnings. Columns
 * constant over all training files never get here ({@link ColumnRoles} leaves them out).
 */
public final class TabularQuality {
    /** A column with this share of its rows on its {@value #LEVELS} most frequent values looks like a set point. */
    static final double LEVEL_SHARE = 0.7;
    static final int LEVELS = 10;
    private final String file;
    private final Map<String, SignalProfile> profiles = new LinkedHashMap<>();

    public TabularQuality(String file) {
        this.file = file;
    }

    public Map<String, SignalProfile> profiles() {
        return profiles;
    }

    public void report(DataQualityReport.Builder dq) {
        for (SignalProfile p : profiles.values()) {
            if (p.finite() == 0) {
                dq.error(file, p.name, "", "no numeric values at all (" + p.count + " rows): remove it with --ignore");
                continue;
            }
            if (p.constant()) {
                continue; // constant here but not in every training file (ColumnRoles judged them all together)
            }
            double missing = (double) p.missing / p.count;
            if (missing > 0.2) {
                dq.warning(file, p.name, "", String.format(java.util.Locale.ROOT, "%.0f %% of values missing", 100 * missing));
            }
            if (p.longestRun >= Math.max(30, p.count / 20)) {
                dq.warning(file, p.name, "rows from line " + p.longestRunStart + " (" + p.longestRun + " rows)",
                        "value stuck at one reading: a frozen sensor or a flat stretch");
            }
            if (p.monotonic()) {
                dq.warning(file, p.name, "", "monotonic over the whole file (a counter or clock?): name it with --ignore "
                        + "or --context if it is not a sensor");
            }
            if (p.distinct() <= 10 && p.finite() >= 100) {
                dq.warning(file, p.name, "", "takes only " + p.distinct() + " distinct values: several operating modes "
                        + "or set points? Pass it with --context so that switching between them is not an anomaly");
                continue;
            }
            double onLevels = p.shareOnTopLevels(LEVELS);
            if (onLevels >= LEVEL_SHARE && p.finite() >= 100) {
                // a set point averaged over each row (speed, mode, tool, supply frequency in a 1 Hz export): most rows
                // sit on a few levels, the rest are transitions; it sits at its extremes often, which is not clipping
                dq.warning(file, p.name, "", String.format(java.util.Locale.ROOT, "%.0f %% of rows sit on %d values, the "
                        + "rest between them: a set point, tool or mode averaged per row? If so, pass it with --context so "
                        + "that changing it is not an anomaly", 100 * onLevels, LEVELS));
                continue;
            }
            long edge = Math.max(10, p.finite() / 100);
            if (p.distinct() >= SignalProfile.DISTINCT_CAP && p.atMax > edge && p.atMin > edge) {
                dq.warning(file, p.name, "", "many values sit exactly at the minimum and maximum: clipping?");
            }
        }
    }
}
