package dev.vigil.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How a fault's severity grows from its onset. Severity is 0 (none) to 1 (end of life). */
public enum Progression {
    /** Severity rises linearly over the ramp. */
    LINEAR,
    /** Slow start, accelerating growth: the usual shape of bearing and gear damage. */
    EXPONENTIAL,
    /** Full severity at onset: a broken cable, a sudden crash. */
    STEP;

    private static final double EXP_RATE = 4.0;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Severity shape for progress u in [0, 1] through the ramp. */
    double shape(double u) {
        double x = Math.max(0, Math.min(1, u));
        return switch (this) {
            case LINEAR -> x;
            case EXPONENTIAL -> Math.expm1(EXP_RATE * x) / Math.expm1(EXP_RATE);
            case STEP -> 1.0;
        };
    }

    @JsonCreator
    public static Progression parse(String text) {
        for (Progression p : values()) {
            if (p.id().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown progression '" + text + "' (expected linear, exponential or step)");
    }
}
