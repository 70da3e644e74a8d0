package dev.vigil.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * One step of a CNC operating program.
 *
 * @param mode what the spindle does
 * @param rpm commanded spindle speed (0 when idle or changing tools)
 * @param loadPct spindle load while cutting, percent of rated
 * @param seconds duration of the step in signal time
 * @param tool tool number in the spindle
 */
public record ProgramStep(Mode mode, double rpm, double loadPct, double seconds, int tool) {

    /** Spindle operating mode; its code is written to the {@code mode} tag channel. */
    public enum Mode {
        IDLE(0), AIR(1), CUT(2), TOOL_CHANGE(3);

        private final int code;

        Mode(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @JsonCreator
        public static Mode parse(String text) {
            for (Mode m : values()) {
                if (m.id().equalsIgnoreCase(text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown program mode '" + text + "' (expected idle, air, cut or tool-change)");
        }
    }

    public ProgramStep {
        MachineSpec.require(mode != null, "program step needs a mode");
        MachineSpec.require(rpm >= 0 && rpm <= 60000, "program step rpm must be in [0, 60000], got " + rpm);
        MachineSpec.require(loadPct >= 0 && loadPct <= 150, "program step loadPct must be in [0, 150], got " + loadPct);
        MachineSpec.require(seconds > 0, "program step seconds must be > 0, got " + seconds);
        MachineSpec.require(tool >= 0, "program step tool must be >= 0, got " + tool);
        if (mode == Mode.IDLE || mode == Mode.TOOL_CHANGE) {
            rpm = 0;
            loadPct = 0;
        }
        if (mode == Mode.AIR) {
            loadPct = Math.min(loadPct, 8);
        }
    }
}
