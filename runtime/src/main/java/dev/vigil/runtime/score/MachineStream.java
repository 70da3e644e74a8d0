package dev.vigil.runtime.score;

import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.SettlingGate;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.ingest.FrameException;
import dev.vigil.runtime.stream.WindowAssembler;
import dev.vigil.sim.Frame;

import java.util.ArrayList;
import java.util.List;

/**
 * One machine's live pipeline: frames to windows ({@link WindowAssembler}), windows to features (the training
 * pipeline), features to assessments (the model's stream with its smoothing and hysteresis). Blocking CPU work:
 * call it from a worker, one caller at a time per machine.
 */
public final class MachineStream {
    private final String machineId;
    private final Model model;
    private final String modelVersion;
    private final WindowAssembler assembler;
    private final WaveformFeatures features;
    private final SettlingGate gate = new SettlingGate();
    private final Model.Stream stream;
    private volatile Assessment latest;
    private long windows;

    public MachineStream(String machineId, Model model, double toleranceSeconds) {
        this(machineId, model, "unversioned", toleranceSeconds);
    }

    /** @param modelVersion shown in alerts (the bundle's content hash) */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds) {
        this.machineId = machineId;
        this.model = model;
        this.modelVersion = modelVersion;
        this.assembler = new WindowAssembler(machineId, model.spec(), toleranceSeconds, 30);
        this.features = new WaveformFeatures(model.spec());
        this.stream = model.stream();
    }

    public String machineId() {
        return machineId;
    }

    public String modelVersion() {
        return modelVersion;
    }

    /**
     * Takes frames in arrival order; returns the assessments of the windows they completed. Synchronised: a
     * machine may be fed from several transports (HTTP, WebSocket, MQTT) whose workers must not interleave here.
     */
    public synchronized List<Assessment> accept(List<Frame> frames) throws FrameException {
        List<Observation> batch = new ArrayList<>();
        for (Frame f : frames) {
            for (WindowAssembler.Window w : assembler.accept(f)) {
                long endMillis = (w.startNanos() / 1_000_000L) + Math.round(model.spec().windowSeconds() * 1000);
                batch.add(gate.apply(features.extract(w.index(), w.index() * model.spec().hopSeconds(), endMillis,
                        w.channels())));
            }
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        // all windows completed by this request are scored in one call: inference costs per call, not per row
        Detector.Scored[] scored = stream.score(batch);
        List<Assessment> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(stream.assess(batch.get(i), scored[i]));
        }
        latest = out.get(out.size() - 1);
        windows += out.size();
        return out;
    }

    /** The newest assessment, or null before the first window. */
    public Assessment latest() {
        return latest;
    }

    public long windows() {
        return windows;
    }
}
