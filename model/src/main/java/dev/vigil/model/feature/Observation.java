package dev.vigil.model.feature;

/**
 * The features of one window (waveform) or row (tabular), with its operating context.
 *
 * @param index window or row number within its input
 * @param startS window start, seconds from the input's start (row index for tabular data without time)
 * @param epochMillis wall-clock time of the window end or row, or Long.MIN_VALUE when unknown
 * @param features raw feature values in schema order (NaN where not computable)
 * @param numericContext numeric operating context (speed, load, ...) in context-schema order
 * @param categoricalContext categorical operating context (mode, tool, program step, ...)
 * @param sensorIssue a sensor problem found in this window ({@code dropout:accel_y}), or null
 * @param steady false when the operating state changed inside the window (a speed ramp, a mode or tool
 *               change): such windows are not scored, since a transient is not a fault
 * @param notes news about this window that is not an anomaly score (a column constant in training that moved)
 * @param defectLines per vibration channel with a known bearing and speed, how clearly each defect's envelope
 *                    lines stand out (diagnosis only: the detector never sees them)
 */
public record Observation(long index, double startS, long epochMillis, double[] features, double[] numericContext,
                          String[] categoricalContext, String sensorIssue, boolean steady,
                          java.util.List<String> notes, java.util.List<DefectLines> defectLines) {

    public Observation {
        notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
        defectLines = defectLines == null ? java.util.List.of() : java.util.List.copyOf(defectLines);
    }

    /** An observation without defect lines (tabular rows, windows without bearing geometry). */
    public Observation(long index, double startS, long epochMillis, double[] features, double[] numericContext,
                       String[] categoricalContext, String sensorIssue, boolean steady, java.util.List<String> notes) {
        this(index, startS, epochMillis, features, numericContext, categoricalContext, sensorIssue, steady, notes,
                java.util.List.of());
    }

    /** Whether a detector should score this observation. */
    public boolean scorable() {
        return steady && sensorIssue == null;
    }
}
