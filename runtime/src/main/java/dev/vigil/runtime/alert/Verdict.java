package dev.vigil.runtime.alert;

import dev.vigil.domain.WireNames;

/** An engineer's verdict on a resolved alert: the fault was real, a false alarm, or nobody could tell. */
public enum Verdict {
    CONFIRMED, FALSE_ALARM, UNKNOWN;

    /** The name in JSON, query parameters and the store ({@code confirmed}, ...). */
    public String id() {
        return WireNames.id(this);
    }

    /** @throws IllegalArgumentException naming {@code verdict} and the values allowed */
    public static Verdict parse(String text) {
        return WireNames.parse(values(), text, "verdict");
    }
}
