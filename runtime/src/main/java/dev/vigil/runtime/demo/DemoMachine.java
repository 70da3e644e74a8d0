package dev.vigil.runtime.demo;

import dev.vigil.domain.FaultType;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.RobotSpec;

import java.util.List;

/**
 * One machine of the demo fleet: what it is, how its gateway sends, what goes wrong with it and when.
 *
 * @param story what a visitor should watch for on this machine
 */
record DemoMachine(String id, MachineSpec spec, Transport transport, long seed, List<FaultSpec> faults, String story) {

    enum Transport { WEBSOCKET, MQTT }

    String kind() {
        return spec.kind().id();
    }

    /** 4 CNC spindles and 2 robots; within about 5 minutes one bearing fault, one worn tool, one dead sensor. */
    static List<DemoMachine> fleet() {
        return List.of(
                new DemoMachine("spindle-1", CncSpec.defaults("spindle-1"), Transport.WEBSOCKET, 101, List.of(),
                        "healthy"),
                new DemoMachine("spindle-2", CncSpec.defaults("spindle-2"), Transport.WEBSOCKET, 102,
                        List.of(new FaultSpec(FaultType.BEARING_OUTER, 60, 180, Progression.LINEAR, 1, null, 0)),
                        "outer-race bearing fault from minute 1, growing for 3 min: warning, then critical; "
                                + "BPFO in the envelope spectrum"),
                new DemoMachine("spindle-3", CncSpec.defaults("spindle-3"), Transport.MQTT, 103,
                        List.of(new FaultSpec(FaultType.TOOL_WEAR, 60, 240, Progression.LINEAR, 1, null, 0)),
                        "tool wear from minute 1, growing for 4 min"),
                new DemoMachine("spindle-4", CncSpec.defaults("spindle-4"), Transport.MQTT, 104, List.of(), "healthy"),
                new DemoMachine("robot-1", RobotSpec.defaults("robot-1"), Transport.WEBSOCKET, 105, List.of(), "healthy"),
                new DemoMachine("robot-2", RobotSpec.defaults("robot-2"), Transport.MQTT, 106,
                        List.of(new FaultSpec(FaultType.SENSOR_DROPOUT, 150, 0, Progression.STEP, 1, "j2_vibration", 0)),
                        "joint 2 vibration sensor drops out at 2.5 min: a sensor alert, not a machine fault"));
    }
}
