package dev.vigil.runtime.alert;

import dev.vigil.domain.WireNames;

/**
 * What an alert is about: the machine (the model's alarm), or the measurement (a sensor problem, stale or refused
 * data, a model that fell back).
 */
public enum Category {
    MACHINE, SENSOR;

    /** The name in JSON, query parameters and the store ({@code machine}, ...). */
    public String id() {
        return WireNames.id(this);
    }

    /** @throws IllegalArgumentException naming {@code category} and the values allowed */
    public static Category parse(String text) {
        return WireNames.parse(values(), text, "category");
    }
}
