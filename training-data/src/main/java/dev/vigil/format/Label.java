package dev.vigil.format;

/**
 * One row of labels.csv: a fault present over [startS, endS) of recording time with the given severity.
 *
 * @param startS seconds from the recording start, inclusive
 * @param endS seconds from the recording start, exclusive
 * @param fault fault name (the simulator's ids, e.g. bearing-outer; other sources may use their own)
 * @param severity 0 (none) to 1 (end of life)
 * @param category {@code machine} or {@code sensor}
 * @param channel the affected channel for sensor faults, empty for machine faults
 */
public record Label(double startS, double endS, String fault, double severity, String category, String channel) {
    public static final String MACHINE = "machine";
    public static final String SENSOR = "sensor";

    public Label {
        if (!(endS > startS)) {
            throw new IllegalArgumentException("label end " + endS + " must be after start " + startS);
        }
        if (!(severity >= 0 && severity <= 1)) {
            throw new IllegalArgumentException("label severity must be in [0, 1], got " + severity);
        }
        if (!MACHINE.equals(category) && !SENSOR.equals(category)) {
            throw new IllegalArgumentException("label category must be machine or sensor, got " + category);
        }
        channel = channel == null ? "" : channel;
    }

    public boolean overlaps(double fromS, double toS) {
        return startS < toS && endS > fromS;
    }
}
