package dev.vigil.runtime.alert;

import dev.vigil.domain.WireNames;

/** How bad an alert is: a warning, or critical (a machine alert's severity only grows while it is active). */
public enum Severity {
    WARNING, CRITICAL;

    /** The name in JSON, query parameters and the store ({@code warning}, ...). */
    public String id() {
        return WireNames.id(this);
    }

    /** @throws IllegalArgumentException naming {@code severity} and the values allowed */
    public static Severity parse(String text) {
        return WireNames.parse(values(), text, "severity");
    }
}
