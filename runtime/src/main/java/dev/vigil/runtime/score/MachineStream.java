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
 * pipeline), features to assessments (the model's stream with its smoothing and hysteresis). The model can be
 * replaced while frames flow ({@link #deploy}, {@link #rollback}), with the previous one kept for a rollback,
 * and a candidate can score the same windows in the shadow without raising anything. Blocking CPU work: call it
 * from a worker; every method is synchronised, so a swap happens between two frames, never inside one.
 */
public final class MachineStream {
    private final String machineId;
    private final double toleranceSeconds;
    private WindowAssembler assembler;
    private Scorer active;
    private Scorer previous;
    private Scorer shadow;
    private double levelFactor = 1;
    private volatile Assessment latest;
    private volatile long lastFrameMillis;
    private long windows;

    /** A model with its version and its per-stream state. */
    private static final class Scorer {
        final Model base;
        final String version;
        final Model model;
        final WaveformFeatures features;
        final SettlingGate gate = new SettlingGate();
        final Model.Stream stream;
        long windows;
        long alarms;
        double maxSmoothed = Double.NaN;

        Scorer(Model base, String version, double levelFactor) {
            this.base = base;
            this.version = version;
            this.model = levelFactor == 1 ? base : base.withLevelsScaled(levelFactor);
            this.features = new WaveformFeatures(base.spec());
            this.stream = model.stream();
        }

        List<Assessment> assess(List<WindowAssembler.Window> ws) {
            List<Observation> batch = new ArrayList<>(ws.size());
            for (WindowAssembler.Window w : ws) {
                long endMillis = (w.startNanos() / 1_000_000L) + Math.round(model.spec().windowSeconds() * 1000);
                batch.add(gate.apply(features.extract(w.index(), w.index() * model.spec().hopSeconds(), endMillis,
                        w.channels())));
            }
            // all windows completed by this call are scored at once: inference costs per call, not per row
            Detector.Scored[] scored = stream.score(batch);
            List<Assessment> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Assessment a = stream.assess(batch.get(i), scored[i]);
                out.add(a);
                windows++;
                alarms += a.alarm() ? 1 : 0;
                if (a.smoothed() == a.smoothed()) {
                    maxSmoothed = maxSmoothed == maxSmoothed ? Math.max(maxSmoothed, a.smoothed()) : a.smoothed();
                }
            }
            return out;
        }
    }

    /**
     * A model's standing on this machine.
     *
     * @param version the model version (bundle content hash)
     * @param windows windows it scored here
     * @param alarms windows it was in alarm
     * @param maxSmoothed its highest smoothed score here
     * @param warning its warning level (after any feedback factor)
     * @param critical its critical level
     */
    public record ModelState(String version, long windows, long alarms, double maxSmoothed, double warning,
                             double critical) {
    }

    public MachineStream(String machineId, Model model, double toleranceSeconds) {
        this(machineId, model, "unversioned", toleranceSeconds);
    }

    /** @param modelVersion shown in alerts (the bundle's content hash) */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds) {
        this.machineId = machineId;
        this.toleranceSeconds = toleranceSeconds;
        this.active = new Scorer(model, modelVersion, 1);
        this.assembler = assembler(model);
    }

    private WindowAssembler assembler(Model model) {
        return new WindowAssembler(machineId, model.spec(), toleranceSeconds, 30);
    }

    public String machineId() {
        return machineId;
    }

    public synchronized String modelVersion() {
        return active.version;
    }

    /** The active model (with the feedback factor applied). */
    public synchronized Model model() {
        return active.model;
    }

    /**
     * Takes frames in arrival order; returns the assessments of the windows they completed. A shadow model
     * scores the same windows; its results are only counted.
     */
    public synchronized List<Assessment> accept(List<Frame> frames) throws FrameException {
        List<WindowAssembler.Window> done = new ArrayList<>();
        for (Frame f : frames) {
            done.addAll(assembler.accept(f));
        }
        if (done.isEmpty()) {
            return List.of();
        }
        List<Assessment> out = active.assess(done);
        if (shadow != null) {
            shadow.assess(done);
        }
        latest = out.get(out.size() - 1);
        windows += out.size();
        return out;
    }

    /** Records that frames arrived (wall clock), for the stale-data watchdog. */
    public void arrived(long epochMillis) {
        lastFrameMillis = epochMillis;
    }

    /** When frames last arrived, or 0 if none since start. */
    public long lastFrameMillis() {
        return lastFrameMillis;
    }

    /**
     * Makes {@code model} the active one; the current one becomes the rollback target. When the new model uses
     * the same windows and channels, the partly filled windows carry over; otherwise assembly restarts (a few
     * seconds of samples are not scored). The alarm state starts afresh with the new model.
     */
    public synchronized void deploy(Model model, String version) {
        if (!model.spec().isWaveform()) {
            throw new IllegalArgumentException("model " + version + " was trained on tabular data; this machine streams waveforms");
        }
        if (!sameWindows(model, active.base)) {
            assembler = assembler(model);
        }
        previous = active;
        active = new Scorer(model, version, levelFactor);
        if (shadow != null && !sameWindows(shadow.base, model)) {
            shadow = null;
        }
    }

    /** Whether two models read the same windows: length, hop, channels and their rates. */
    private static boolean sameWindows(Model a, Model b) {
        return a.spec().windowSeconds() == b.spec().windowSeconds() && a.spec().hopSeconds() == b.spec().hopSeconds()
                && a.spec().channels().equals(b.spec().channels());
    }

    /** Goes back to the model active before the last deployment; false when there is none. */
    public synchronized boolean rollback() {
        if (previous == null) {
            return false;
        }
        // the model rolled back from becomes the rollback target: a rollback can itself be undone
        deploy(previous.base, previous.version);
        return true;
    }

    /** Scores the same windows with a candidate, without alerting; it must use the active model's windows. */
    public synchronized void shadow(Model model, String version) {
        if (!sameWindows(model, active.base)) {
            throw new IllegalArgumentException("a shadow model must use the active model's windows and channels ("
                    + active.version + "); " + version + " does not");
        }
        shadow = new Scorer(model, version, levelFactor);
    }

    /** Stops shadow scoring; returns whether there was a shadow. */
    public synchronized boolean stopShadow() {
        boolean had = shadow != null;
        shadow = null;
        return had;
    }

    /** Makes the shadow model active (the active one becomes the rollback target); false without a shadow. */
    public synchronized boolean promoteShadow() {
        if (shadow == null) {
            return false;
        }
        Scorer s = shadow;
        shadow = null;
        deploy(s.base, s.version);
        return true;
    }

    /** Multiplies the models' levels by {@code factor} (relative to their calibration), keeping the versions. */
    public synchronized void scaleLevels(double factor) {
        if (factor == levelFactor) {
            return;
        }
        levelFactor = factor;
        active = new Scorer(active.base, active.version, factor);
        if (shadow != null) {
            shadow = new Scorer(shadow.base, shadow.version, factor);
        }
    }

    public synchronized double levelFactor() {
        return levelFactor;
    }

    private static ModelState state(Scorer s) {
        return s == null ? null : new ModelState(s.version, s.windows, s.alarms, s.maxSmoothed,
                s.model.calibration().warning(), s.model.calibration().critical());
    }

    public synchronized ModelState activeState() {
        return state(active);
    }

    /** The rollback target, or null. */
    public synchronized ModelState previousState() {
        return state(previous);
    }

    /** The shadow, or null. */
    public synchronized ModelState shadowState() {
        return state(shadow);
    }

    /** The newest assessment, or null before the first window. */
    public Assessment latest() {
        return latest;
    }

    public synchronized long windows() {
        return windows;
    }
}
