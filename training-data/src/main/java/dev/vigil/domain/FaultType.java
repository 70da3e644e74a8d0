package dev.vigil.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every fault the simulator can inject. Machine faults change the physics; sensor faults corrupt one
 * channel's measurement and are labelled {@link Category#SENSOR} so that nobody trains a machine
 * anomaly detector to call a loose cable a bearing.
 */
public enum FaultType {
    BEARING_OUTER("bearing-outer", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    BEARING_INNER("bearing-inner", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    BEARING_BALL("bearing-ball", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    IMBALANCE("imbalance", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    MISALIGNMENT("misalignment", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    LOOSENESS("looseness", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    TOOL_WEAR("tool-wear", Category.MACHINE, EnumSet.of(MachineKind.CNC)),
    REDUCER_WEAR("reducer-wear", Category.MACHINE, EnumSet.of(MachineKind.ROBOT)),
    /** Play in a joint's drive train: a knock each time the joint reverses, nothing else. */
    BACKLASH("backlash", Category.MACHINE, EnumSet.of(MachineKind.ROBOT)),
    /** A spalled race in a joint's motor bearing: impacts at its defect rate, whatever the payload. */
    JOINT_BEARING("joint-bearing", Category.MACHINE, EnumSet.of(MachineKind.ROBOT)),
    SENSOR_DROPOUT("sensor-dropout", Category.SENSOR, EnumSet.allOf(MachineKind.class)),
    SENSOR_STUCK("sensor-stuck", Category.SENSOR, EnumSet.allOf(MachineKind.class)),
    SENSOR_SPIKES("sensor-spikes", Category.SENSOR, EnumSet.allOf(MachineKind.class)),
    SENSOR_CLIPPING("sensor-clipping", Category.SENSOR, EnumSet.allOf(MachineKind.class)),
    SENSOR_GAIN_DRIFT("sensor-gain-drift", Category.SENSOR, EnumSet.allOf(MachineKind.class));

    /** Whether the fault is in the machine or in the measurement chain. */
    public enum Category { MACHINE, SENSOR }

    private final String id;
    private final Category category;
    private final Set<MachineKind> kinds;

    FaultType(String id, Category category, Set<MachineKind> kinds) {
        this.id = id;
        this.category = category;
        this.kinds = kinds;
    }

    /** The stable name used on the command line, in specs and in labels.csv. */
    @JsonValue
    public String id() {
        return id;
    }

    public Category category() {
        return category;
    }

    public boolean isSensorFault() {
        return category == Category.SENSOR;
    }

    /** A fault of one robot joint (the fault spec's axis names which). */
    public boolean isJointFault() {
        return this == REDUCER_WEAR || this == BACKLASH || this == JOINT_BEARING;
    }

    public boolean appliesTo(MachineKind kind) {
        return kinds.contains(kind);
    }

    @JsonCreator
    public static FaultType parse(String text) {
        String t = text.trim();
        for (FaultType f : values()) {
            if (f.id.equalsIgnoreCase(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + text + "' (expected one of "
                + Arrays.stream(values()).map(FaultType::id).collect(Collectors.joining(", ")) + ")");
    }
}
