package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureStream;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.TabularFeatures;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.stream.Arrivals;
import dev.vigil.runtime.stream.FrameException;
import dev.vigil.runtime.stream.WindowAssembler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final double maxAheadSeconds;
    private final double phase;
    private WindowAssembler assembler;
    // read without the lock by the API on the event loop (which must never wait for scoring, which holds the lock
    // through features, inference and commits): written under the lock, published by the volatile write
    private volatile Scorer active;
    private Scorer previous;
    private Scorer shadow;
    private volatile double levelFactor = 1;
    private dev.vigil.model.explain.IsoZone.MachineClass isoClass;
    private volatile Assessment latest;
    /** The newest scored windows, for the dashboard's live chart and feature trends. */
    private final java.util.ArrayDeque<Assessment> recent = new java.util.ArrayDeque<>();
    private WindowAssembler.Window lastWindow;
    private static final int RECENT = 900;
    private final Arrivals arrivals = new Arrivals();
    private volatile long windows;
    private long lastReadingMillis = Long.MIN_VALUE;
    private long firstReadingMillis = Long.MIN_VALUE;
    /** The newest readings taken, by time: one sent again (its answer was lost, a corrected batch) is not refused. */
    private final LinkedHashMap<Long, Reading> recentReadings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Reading> eldest) {
            return size() > 256;
        }
    };
    private DriftFollower.Settings drift;

    /** A model with its version and its per-stream state. */
    private static final class Scorer {
        final Model base;
        final String version;
        final Model model;
        final FeatureStream features;
        final TabularFeatures tabular;
        long rows;
        final Model.Stream stream;
        long windows;
        long alarms;
        double maxSmoothed = Double.NaN;

        Scorer(Model base, String version, double levelFactor, DriftFollower.Settings drift) {
            this.base = base;
            this.version = version;
            this.model = levelFactor == 1 ? base : base.withLevelsScaled(levelFactor);
            this.features = base.spec().isWaveform() ? new WaveformFeatures(base.spec()).stream() : null;
            this.tabular = base.spec().isWaveform() ? null : new TabularFeatures(base.spec());
            this.stream = drift == null ? model.stream() : model.stream(drift);
        }

        List<Assessment> assessRows(List<Reading> readings, long firstMillis) {
            FeatureSpec spec = base.spec();
            List<Observation> batch = new ArrayList<>(readings.size());
            for (Reading r : readings) {
                double[] values = new double[spec.tabularColumns().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.values().getOrDefault(spec.tabularColumns().get(i), Double.NaN);
                }
                double[] ctx = new double[spec.contextColumns().size()];
                for (int i = 0; i < ctx.length; i++) {
                    Object v = r.context().get(spec.contextColumns().get(i));
                    ctx[i] = v instanceof Number n ? n.doubleValue() : Double.NaN;
                }
                String[] cat = new String[spec.categoricalContextColumns().size()];
                for (int i = 0; i < cat.length; i++) {
                    Object v = r.context().get(spec.categoricalContextColumns().get(i));
                    cat[i] = v == null ? "" : String.valueOf(v);
                }
                double[] constants = spec.constantColumns().keySet().stream()
                        .mapToDouble(c -> r.values().getOrDefault(c, Double.NaN)).toArray();
                long t = r.time().toEpochMilli();
                batch.add(tabular.push(rows++, (t - firstMillis) / 1000.0, t, values, ctx, cat, constants));
            }
            return scoreAll(batch);
        }

        List<Assessment> assess(List<WindowAssembler.Window> ws) {
            List<Observation> batch = new ArrayList<>(ws.size());
            for (WindowAssembler.Window w : ws) {
                long endMillis = (w.startNanos() / 1_000_000L) + Math.round(model.spec().windowSeconds() * 1000);
                batch.add(features.next(w.index(), w.index() * model.spec().hopSeconds(), endMillis, w.channels()));
            }
            return scoreAll(batch);
        }

        private List<Assessment> scoreAll(List<Observation> batch) {
            // everything completed by this call is scored at once: inference costs per call, not per row
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
        this(machineId, model, modelVersion, toleranceSeconds, 30);
    }

    /**
     * @param maxAheadSeconds how far a channel may run ahead of the oldest open window: the assembler holds this
     *                        much of every channel (a CNC spindle: about 430 kB per second of it)
     */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds,
                         double maxAheadSeconds) {
        this(machineId, model, modelVersion, toleranceSeconds, maxAheadSeconds, 0);
    }

    /** @param phase where in the hop this machine's windows start (0..1), see {@link WindowAssembler} */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds,
                         double maxAheadSeconds, double phase) {
        this.machineId = machineId;
        this.phase = phase;
        this.toleranceSeconds = toleranceSeconds;
        this.maxAheadSeconds = maxAheadSeconds;
        this.active = new Scorer(model, modelVersion, 1, drift);
        this.assembler = assembler(model);
    }

    /**
     * One row of already-aggregated readings (tabular models).
     *
     * @param values the modelled columns by name (missing ones are NaN: a sensor problem)
     * @param context operating context by name (numbers or text)
     */
    public record Reading(java.time.Instant time, java.util.Map<String, Double> values,
                          java.util.Map<String, Object> context) {
    }

    /**
     * Follows slow healthy drift from now on ({@link DriftFollower}); every model deployed later follows too, each
     * from a fresh baseline (the follower's state belongs to the model it learned with, and is not persisted).
     */
    public synchronized void followDrift(DriftFollower.Settings settings) {
        drift = settings;
        active = new Scorer(active.base, active.version, levelFactor, drift);
    }

    private WindowAssembler assembler(Model model) {
        return model.spec().isWaveform() ? new WindowAssembler(machineId, model.spec(), toleranceSeconds, maxAheadSeconds,
                phase) : null;
    }

    /**
     * Reports ISO 10816 zones for this machine group whatever the models' own (the machine's configuration
     * knows its foundation better than a bundle trained elsewhere); applies to every model deployed later too.
     */
    public synchronized void overrideIsoClass(dev.vigil.model.explain.IsoZone.MachineClass c) {
        isoClass = c;
        active = new Scorer(withIso(active.base), active.version, levelFactor, drift);
    }

    private Model withIso(Model m) {
        return isoClass == null ? m : m.withIsoClass(isoClass);
    }

    /** Whether the active model reads tabular readings rather than waveform frames. */
    public synchronized boolean tabular() {
        return !active.base.spec().isWaveform();
    }

    /**
     * Takes readings in time order (tabular models); returns their assessments. A reading that repeats one taken
     * recently (same time, same values) is taken already; one not after the previous reading is refused with
     * everything after it in the call, while the readings before it are scored ({@link PartlyTakenException}):
     * a sender that corrects the row and sends the whole batch again has it scored once.
     */
    public synchronized List<Assessment> acceptReadings(List<Reading> readings) throws FrameException {
        if (!tabular()) {
            throw new FrameException("machine '" + machineId + "' has a waveform model: send frames, not readings");
        }
        List<Reading> fresh = new ArrayList<>(readings.size());
        String refused = null;
        int taken = 0;
        for (int i = 0; i < readings.size() && refused == null; i++) {
            Reading r = readings.get(i);
            long t = r.time().toEpochMilli();
            if (t > lastReadingMillis) {
                fresh.add(r);
                lastReadingMillis = t;
                recentReadings.put(t, r);
            } else if (!r.equals(recentReadings.get(t))) {
                refused = "rows[" + i + "].time " + r.time() + " is not after the previous reading ("
                        + Instant.ofEpochMilli(lastReadingMillis) + ")";
                if (i == 0) {
                    throw new FrameException(refused);
                }
                refused += "; rows[0.." + (i - 1) + "] were taken: send the rows from rows[" + i + "] on";
                break;
            }
            taken = i + 1;
        }
        if (firstReadingMillis == Long.MIN_VALUE && !fresh.isEmpty()) {
            firstReadingMillis = fresh.get(0).time().toEpochMilli();
        }
        List<Assessment> out = fresh.isEmpty() ? List.of() : active.assessRows(fresh, firstReadingMillis);
        if (shadow != null && !fresh.isEmpty()) {
            shadow.assessRows(fresh, firstReadingMillis);
        }
        if (!out.isEmpty()) {
            latest = out.get(out.size() - 1);
            windows += out.size();
            remember(out);
        }
        if (refused != null) {
            throw new PartlyTakenException(refused, taken, out);
        }
        return out;
    }

    public String machineId() {
        return machineId;
    }

    /** Lock-free: the event loop may call it. */
    public String modelVersion() {
        return active.version;
    }

    /** The active model (with the feedback factor applied). */
    public synchronized Model model() {
        return active.model;
    }

    /**
     * Takes frames in arrival order; returns the assessments of the windows they completed. A shadow model
     * scores the same windows; its results are only counted. A frame of a batch that does not fit is refused with
     * the rest of the batch, while the windows the frames before it completed are scored
     * ({@link PartlyTakenException}); those frames sent again are taken as repeats.
     */
    public synchronized List<Assessment> accept(List<Frame> frames) throws FrameException {
        if (assembler == null) {
            throw new FrameException("machine '" + machineId + "' has a tabular model: send readings "
                    + "(POST /api/v1/machines/" + machineId + "/readings), not frames");
        }
        List<WindowAssembler.Window> done = new ArrayList<>();
        String refused = null;
        int taken = 0;
        for (int i = 0; i < frames.size() && refused == null; i++) {
            try {
                done.addAll(assembler.accept(frames.get(i)));
            } catch (FrameException e) {
                if (frames.size() == 1) {
                    throw e;
                }
                if (i == 0) {
                    throw new FrameException("frames[0]: " + e.getMessage());
                }
                refused = "frames[" + i + "]: " + e.getMessage() + "; frames[0.." + (i - 1) + "] were taken: send the "
                        + "frames from frames[" + i + "] on";
                taken = i;
            }
        }
        List<Assessment> out = done.isEmpty() ? List.of() : active.assess(done);
        if (!done.isEmpty()) {
            if (shadow != null) {
                shadow.assess(done);
            }
            latest = out.get(out.size() - 1);
            windows += out.size();
            lastWindow = done.get(done.size() - 1);
            remember(out);
        }
        if (refused != null) {
            // the windows the frames before it completed are scored: thrown away here, they would be lost for good,
            // since a retry of the same frames is taken as a repeat
            throw new PartlyTakenException(refused, taken, out);
        }
        return out;
    }

    /** When this machine's data last got in and what was refused since (the stale-data watchdog's view). */
    public Arrivals arrivals() {
        return arrivals;
    }

    /** When data was last accepted (wall clock), or 0 if none since start. */
    public long lastFrameMillis() {
        return arrivals.snapshot().lastAcceptedMillis();
    }

    /**
     * Makes {@code model} the active one; the current one becomes the rollback target. When the new model uses
     * the same windows and channels, the partly filled windows carry over; otherwise assembly restarts (a few
     * seconds of samples are not scored). The alarm state starts afresh with the new model.
     */
    public synchronized void deploy(Model model, String version) {
        if (model.spec().isWaveform() != active.base.spec().isWaveform()) {
            throw new IllegalArgumentException("model " + version + " reads " + (model.spec().isWaveform() ? "waveforms"
                    : "tabular readings") + "; this machine's stream is " + (tabular() ? "tabular readings" : "waveforms"));
        }
        if (!sameWindows(model, active.base)) {
            assembler = assembler(model);
            lastWindow = null;
        }
        previous = active;
        active = new Scorer(withIso(model), version, levelFactor, drift);
        if (shadow != null && !sameWindows(shadow.base, model)) {
            shadow = null;
        }
    }

    /** Whether two models read the same windows: length, hop, channels and their rates. */
    private static boolean sameWindows(Model a, Model b) {
        if (!a.spec().isWaveform() || !b.spec().isWaveform()) {
            return !a.spec().isWaveform() && !b.spec().isWaveform();
        }
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
        shadow = new Scorer(withIso(model), version, levelFactor, drift);
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
        active = new Scorer(active.base, active.version, factor, drift);
        if (shadow != null) {
            shadow = new Scorer(shadow.base, shadow.version, factor, drift);
        }
    }

    /** Lock-free: the event loop may call it. */
    public double levelFactor() {
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
    private void remember(List<Assessment> out) {
        for (Assessment a : out) {
            recent.addLast(a);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
    }

    /** The newest scored windows (at most 900) with an index above {@code afterIndex}, oldest first. */
    public synchronized List<Assessment> recent(long afterIndex) {
        List<Assessment> out = new ArrayList<>();
        for (Assessment a : recent) {
            if (a.index() > afterIndex) {
                out.add(a);
            }
        }
        return out;
    }

    /** The spectra of the newest complete window, computed as the features are; null before the first window. */
    public dev.vigil.model.feature.Spectra.Result spectra(int points, double envelopeMaxHz) {
        WindowAssembler.Window w;
        dev.vigil.model.feature.FeatureSpec spec;
        synchronized (this) {
            w = lastWindow;
            spec = active.base.spec();
        }
        // computed outside the lock: scoring goes on meanwhile (the window's arrays are never written again)
        return w == null || !spec.isWaveform() || w.channels().length != spec.channels().size() ? null
                : new dev.vigil.model.feature.Spectra(spec).compute(w.channels(), points, envelopeMaxHz);
    }

    public Assessment latest() {
        return latest;
    }

    /** Lock-free: the event loop may call it. */
    public long windows() {
        return windows;
    }
}
