package dev.vigil.model.explain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * ISO 10816 vibration severity zones of broadband velocity RMS (10-1000 Hz, mm/s). They need no model, so
 * they alarm from the first window on a new machine (cold start).
 */
public enum IsoZone {
    A, B, C, D;

    /** Machine classes with their A/B, B/C and C/D boundaries in mm/s. */
    public enum MachineClass {
        GROUP1_RIGID("group1-rigid", 2.3, 4.5, 7.1),
        GROUP1_FLEXIBLE("group1-flexible", 3.5, 7.1, 11.0),
        GROUP2_RIGID("group2-rigid", 1.4, 2.8, 4.5),
        GROUP2_FLEXIBLE("group2-flexible", 2.3, 4.5, 7.1),
        SMALL("small", 0.71, 1.8, 4.5);

        private final String id;
        private final double ab;
        private final double bc;
        private final double cd;

        MachineClass(String id, double ab, double bc, double cd) {
            this.id = id;
            this.ab = ab;
            this.bc = bc;
            this.cd = cd;
        }

        @JsonValue
        public String id() {
            return id;
        }

        @JsonCreator
        public static MachineClass parse(String text) {
            for (MachineClass c : values()) {
                if (c.id.equalsIgnoreCase(text.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown ISO 10816 machine class '" + text + "' (expected one of "
                    + Arrays.stream(values()).map(MachineClass::id).toList() + ")");
        }

        public IsoZone zone(double velocityRmsMmPerS) {
            if (velocityRmsMmPerS < ab) {
                return A;
            }
            if (velocityRmsMmPerS < bc) {
                return B;
            }
            return velocityRmsMmPerS < cd ? C : D;
        }
    }

    public String meaning() {
        return switch (this) {
            case A -> "newly commissioned condition";
            case B -> "acceptable for unrestricted long-term operation";
            case C -> "limited operation: plan remedial action";
            case D -> "severe enough to cause damage";
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
