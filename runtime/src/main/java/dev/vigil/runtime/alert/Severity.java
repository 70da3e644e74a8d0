package dev.vigil.runtime.alert;

/** How bad an alert is: a warning, or critical (a machine alert's severity only grows while it is active). */
public enum Severity {
    WARNING, CRITICAL;

    /** The name in JSON, query parameters and the store ({@code warning}, ...). */
    public String id() {
        return Names.id(this);
    }

    /** @throws IllegalArgumentException naming {@code severity} and the values allowed */
    public static Severity parse(String text) {
        return Names.parse(values(), text, "severity");
    }
}
