package dev.vigil.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The two machine kinds the simulator knows. */
public enum MachineKind {
    CNC, ROBOT;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MachineKind parse(String text) {
        for (MachineKind k : values()) {
            if (k.id().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown machine kind '" + text + "' (expected cnc or robot)");
    }
}
