package dev.vigil.sim;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.vigil.domain.MachineKind;

/** Configuration of one simulated machine; immutable, validated on construction. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = CncSpec.class, name = "cnc"),
        @JsonSubTypes.Type(value = RobotSpec.class, name = "robot")})
public sealed interface MachineSpec permits CncSpec, RobotSpec {

    String id();

    MachineKind kind();

    /** Length of one simulation block in seconds; every channel holds a whole number of samples per block. */
    double blockSeconds();

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void requireWholeSamples(String field, double rateHz, double blockSeconds) {
        double n = rateHz * blockSeconds;
        require(rateHz > 0 && Math.abs(n - Math.rint(n)) < 1e-6 && n >= 1,
                field + " (" + rateHz + " Hz) must give a whole number of samples per block of "
                        + blockSeconds + " s");
    }
}
