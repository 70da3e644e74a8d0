package dev.vigil.model.score;

import dev.vigil.domain.WireNames;

/**
 * A scored window's level, from the least to the most pressing: normal; transient (not steady: not scored); sensor
 * (a sensor problem: not scored as the machine); warning and critical (the smoothed score above those levels, by
 * the alarm's hysteresis).
 */
public enum Level {
    NORMAL, TRANSIENT, SENSOR, WARNING, CRITICAL;

    /** The name in JSON, reports and the score history ({@code normal}, ...). */
    public String id() {
        return WireNames.id(this);
    }

    /** @throws IllegalArgumentException naming the values allowed */
    public static Level parse(String text) {
        return WireNames.parse(values(), text, "level");
    }
}
