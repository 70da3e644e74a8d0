package dev.vigil.runtime.ingest;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.score.ScoreRecorder;
import dev.vigil.sim.Frame;

import java.time.Clock;
import java.util.List;

/**
 * The blocking part every transport shares: frames into the machine's stream, the assessments into alerts and
 * the score history. One machine at a time, whichever transport its frames came by (HTTP, WebSocket and MQTT
 * workers must not interleave a machine's windows and alert updates).
 */
public final class FrameScoring {
    private final AlertService alerts;
    private final ScoreRecorder recorder;
    private final Clock clock;

    /**
     * @param alerts where assessments become alerts, or null to only score
     * @param recorder the score history, or null
     */
    public FrameScoring(AlertService alerts, ScoreRecorder recorder, Clock clock) {
        this.alerts = alerts;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** Scoring only: no alerts, no history. */
    public static FrameScoring scoreOnly() {
        return new FrameScoring(null, null, Clock.systemUTC());
    }

    public List<Assessment> score(MachineStream machine, List<Frame> frames) throws Exception {
        machine.arrived(clock.millis());
        synchronized (machine) {
            List<Assessment> assessed = machine.accept(frames);
            if (!assessed.isEmpty()) {
                if (recorder != null) {
                    recorder.record(machine.machineId(), machine.modelVersion(), assessed);
                }
                if (alerts != null) {
                    alerts.accept(machine.machineId(), machine.modelVersion(), assessed);
                }
            }
            return assessed;
        }
    }
}
