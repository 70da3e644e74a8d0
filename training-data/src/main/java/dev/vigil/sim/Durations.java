package dev.vigil.sim;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations: {@code 90}, {@code 90s}, {@code 500ms}, {@code 40m}, {@code 1.5h}, {@code 3d}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)?");

    private Durations() {
    }

    /** Seconds in the given duration text. */
    public static double parseSeconds(String text) {
        Matcher m = FORMAT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (expected e.g. 90s, 40m, 2h, 3d)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return v * switch (unit) {
            case "ms" -> 0.001;
            case "m", "min" -> 60;
            case "h" -> 3600;
            case "d" -> 86400;
            default -> 1;
        };
    }
}
