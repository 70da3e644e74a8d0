package dev.vigil.runtime.ingest;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.sim.Frame;

import java.util.List;

/**
 * The blocking part every transport shares: frames into the machine's stream, the assessments into alerts.
 * One machine at a time, whichever transport its frames came by (HTTP, WebSocket and MQTT workers must not
 * interleave a machine's windows and alert updates).
 */
final class FrameScoring {
    private final AlertService alerts;

    /** @param alerts where assessments become alerts, or null to only score */
    FrameScoring(AlertService alerts) {
        this.alerts = alerts;
    }

    List<Assessment> score(MachineStream machine, List<Frame> frames) throws Exception {
        synchronized (machine) {
            List<Assessment> assessed = machine.accept(frames);
            if (alerts != null && !assessed.isEmpty()) {
                alerts.accept(machine.machineId(), machine.modelVersion(), assessed);
            }
            return assessed;
        }
    }
}
