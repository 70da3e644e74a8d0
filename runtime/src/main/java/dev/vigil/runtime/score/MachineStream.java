package dev.vigil.runtime.score;

import dev.vigil.domain.Frame;
import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.explain.IsoZone;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.signal.Transforms;
import dev.vigil.runtime.stream.Arrivals;
import dev.vigil.runtime.stream.FrameException;
import dev.vigil.runtime.stream.WindowAssembler;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One machine's scoring path: frames to windows ({@link WindowAssembler}) or readings to rows, then through its
 * models ({@link ModelSlots}: the active one, and a shadow that scores the same windows without raising anything).
 * The model can be replaced while frames flow ({@link #deploy}, {@link #rollback}). After every change it publishes
 * a {@link LiveView}, which readers take without the lock. Blocking CPU work: call it from a worker; every change
 * is synchronised, so a swap happens between two frames, never inside one.
 */
public final class MachineStream {
    static final int RECENT = 900;
    private final String machineId;
    private final double toleranceSeconds;
    private final double maxAheadSeconds;
    private final double phase;
    private final ModelSlots slots;
    private final Arrivals arrivals = new Arrivals();
    private WindowAssembler assembler;
    private final ArrayDeque<Assessment> recent = new ArrayDeque<>();
    private Assessment latest;
    private long windows;
    private WindowAssembler.Window lastWindow;
    private long lastReadingMillis = Long.MIN_VALUE;
    private long firstReadingMillis = Long.MIN_VALUE;
    /** The newest readings taken, by time: one sent again (its answer was lost, a corrected batch) is not refused. */
    private final LinkedHashMap<Long, Reading> recentReadings = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Reading> eldest) {
            return size() > 256;
        }
    };
    // written under the lock, published by the volatile write: the API reads it on the event loop
    private volatile LiveView view;

    public MachineStream(String machineId, Model model, double toleranceSeconds) {
        this(machineId, model, "unversioned", toleranceSeconds);
    }

    /** @param modelVersion shown in alerts (the bundle's content hash) */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds) {
        this(machineId, model, modelVersion, toleranceSeconds, 30, 0);
    }

    /**
     * @param maxAheadSeconds how far a channel may run ahead of the oldest open window: the assembler holds this
     *                        much of every channel (a CNC spindle: about 430 kB per second of it)
     * @param phase where in the hop this machine's windows start (0..1), see {@link WindowAssembler}
     */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds,
                         double maxAheadSeconds, double phase) {
        this(machineId, model, modelVersion, toleranceSeconds, maxAheadSeconds, phase, new Transforms());
    }

    /** @param transforms FFT plans and windows shared with the fleet's other machines (the service has one set) */
    public MachineStream(String machineId, Model model, String modelVersion, double toleranceSeconds,
                         double maxAheadSeconds, double phase, Transforms transforms) {
        this.machineId = machineId;
        this.phase = phase;
        this.toleranceSeconds = toleranceSeconds;
        this.maxAheadSeconds = maxAheadSeconds;
        this.slots = new ModelSlots(model, modelVersion, transforms);
        this.assembler = assembler(model);
        publish();
    }

    /**
     * One row of already-aggregated readings (tabular models).
     *
     * @param values the modelled columns by name (missing ones are NaN: a sensor problem)
     * @param context operating context by name (numbers or text)
     */
    public record Reading(Instant time, Map<String, Double> values, Map<String, Object> context) {
    }

    /**
     * Follows slow healthy drift from now on ({@link DriftFollower}); every model deployed later follows too, each
     * from a fresh baseline (the follower's state belongs to the model it learned with, and is not persisted).
     */
    public synchronized void followDrift(DriftFollower.Settings settings) {
        slots.followDrift(settings);
        publish();
    }

    private WindowAssembler assembler(Model model) {
        return model.spec().isWaveform() ? new WindowAssembler(machineId, model.spec(), toleranceSeconds, maxAheadSeconds,
                phase) : null;
    }

    /**
     * Reports ISO 10816 zones for this machine group whatever the models' own (the machine's configuration
     * knows its foundation better than a bundle trained elsewhere); applies to every model deployed later too.
     */
    public synchronized void overrideIsoClass(IsoZone.MachineClass c) {
        slots.overrideIsoClass(c);
        publish();
    }

    /**
     * Takes readings in time order (tabular models); returns their assessments. A reading that repeats one taken
     * recently (same time, same values) is taken already; one not after the previous reading is refused with
     * everything after it in the call, while the readings before it are scored ({@link PartlyTakenException}):
     * a sender that corrects the row and sends the whole batch again has it scored once.
     */
    public synchronized List<Assessment> acceptReadings(List<Reading> readings) throws FrameException {
        if (slots.active().base.spec().isWaveform()) {
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
        List<Assessment> out = fresh.isEmpty() ? List.of() : slots.active().assessRows(fresh, firstReadingMillis);
        if (slots.shadow() != null && !fresh.isEmpty()) {
            slots.shadow().assessRows(fresh, firstReadingMillis);
        }
        if (!out.isEmpty()) {
            scored(out, null);
        }
        if (refused != null) {
            throw new PartlyTakenException(refused, taken, out);
        }
        return out;
    }

    public String machineId() {
        return machineId;
    }

    /** What readers see of this machine now: lock-free, the event loop may call it. */
    public LiveView view() {
        return view;
    }

    /** The active model's version (lock-free). */
    public String modelVersion() {
        return view.modelVersion();
    }

    /** The active model, with the feedback factor applied (lock-free). */
    public Model model() {
        return view.model();
    }

    /** The newest assessment, or null before the first window (lock-free). */
    public Assessment latest() {
        return view.latest();
    }

    /** Windows scored since start (lock-free). */
    public long windows() {
        return view.windows();
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
        List<Assessment> out = done.isEmpty() ? List.of() : slots.active().assess(done);
        if (!done.isEmpty()) {
            if (slots.shadow() != null) {
                slots.shadow().assess(done);
            }
            scored(out, done.get(done.size() - 1));
        }
        if (refused != null) {
            // the windows the frames before it completed are scored: thrown away here, they would be lost for good,
            // since a retry of the same frames is taken as a repeat
            throw new PartlyTakenException(refused, taken, out);
        }
        return out;
    }

    private void scored(List<Assessment> out, WindowAssembler.Window last) {
        latest = out.get(out.size() - 1);
        windows += out.size();
        if (last != null) {
            lastWindow = last;
        }
        for (Assessment a : out) {
            recent.addLast(a);
            if (recent.size() > RECENT) {
                recent.removeFirst();
            }
        }
        publish();
    }

    private void publish() {
        view = new LiveView(slots.active().model, slots.levelFactor(), ModelState.of(slots.active()),
                ModelState.of(slots.previous()), ModelState.of(slots.shadow()), latest, List.copyOf(recent), windows,
                lastWindow);
    }

    /** When this machine's data last got in and what was refused since (the stale-data watchdog's view). */
    public Arrivals arrivals() {
        return arrivals;
    }

    /**
     * Makes {@code model} the active one; the current one becomes the rollback target. When the new model uses
     * the same windows and channels, the partly filled windows carry over; otherwise assembly restarts (a few
     * seconds of samples are not scored). The alarm state starts afresh with the new model.
     */
    public synchronized void deploy(Model model, String version) {
        Model current = slots.active().base;
        if (model.spec().isWaveform() != current.spec().isWaveform()) {
            throw new IllegalArgumentException("model " + version + " reads " + (model.spec().isWaveform() ? "waveforms"
                    : "tabular readings") + "; this machine's stream is " + (current.spec().isWaveform()
                    ? "waveforms" : "tabular readings"));
        }
        if (!ModelSlots.sameWindows(model, current)) {
            assembler = assembler(model);
            lastWindow = null;
        }
        slots.deploy(model, version);
        publish();
    }

    /** Goes back to the model active before the last deployment; false when there is none. */
    public synchronized boolean rollback() {
        Scorer previous = slots.previous();
        if (previous == null) {
            return false;
        }
        // the model rolled back from becomes the rollback target: a rollback can itself be undone
        deploy(previous.base, previous.version);
        return true;
    }

    /** Scores the same windows with a candidate, without alerting; it must use the active model's windows. */
    public synchronized void shadow(Model model, String version) {
        slots.shadow(model, version);
        publish();
    }

    /** Stops shadow scoring; returns whether there was a shadow. */
    public synchronized boolean stopShadow() {
        boolean had = slots.takeShadow() != null;
        publish();
        return had;
    }

    /** Makes the shadow model active (the active one becomes the rollback target); false without a shadow. */
    public synchronized boolean promoteShadow() {
        Scorer s = slots.takeShadow();
        if (s == null) {
            return false;
        }
        deploy(s.base, s.version);
        return true;
    }

    /** The versions of the models this machine holds. */
    public synchronized ModelSet models() {
        return new ModelSet(slots.active().version, slots.previous() == null ? null : slots.previous().version,
                slots.shadow() == null ? null : slots.shadow().version);
    }

    /**
     * Takes the models another instance of a cluster gave the machine (a deployment, rollback, promotion or shadow
     * made there): the slots whose versions differ are replaced, as {@link #deploy} replaces them.
     *
     * @param loaded the models of the versions this stream does not hold
     */
    public synchronized void adopt(ModelSet target, Map<String, Model> loaded) {
        Model current = slots.active().base;
        if (!slots.active().version.equals(target.active())) {
            Model next = loaded.get(target.active());
            if (next == null) {
                // the active model becomes one this stream holds (a rollback or promotion made elsewhere)
                next = current;
                for (Scorer s : new Scorer[]{slots.previous(), slots.shadow()}) {
                    if (s != null && s.version.equals(target.active())) {
                        next = s.base;
                    }
                }
            }
            if (next.spec().isWaveform() != current.spec().isWaveform()) {
                throw new IllegalArgumentException("model " + target.active() + " reads " + (next.spec().isWaveform()
                        ? "waveforms" : "tabular readings") + "; this machine's stream does not");
            }
            if (!ModelSlots.sameWindows(next, current)) {
                assembler = assembler(next);
                lastWindow = null;
            }
        }
        slots.adopt(target, loaded);
        publish();
    }

    /**
     * Lets go of the samples held for open windows and of the scorers' feature streams (most of a spindle's memory:
     * the rings are made again with the next frame, the feature streams with the next window): the machine moved to
     * another instance of a cluster, which scores it from there.
     */
    public synchronized void release() {
        if (assembler != null) {
            assembler = assembler(slots.active().base);
            lastWindow = null;
        }
        slots.release();
    }

    /** The active model's alarm state (smoothing and hysteresis), to hand on with the machine. */
    public synchronized Calibration.AlarmState alarmState() {
        return slots.active().stream.alarmState();
    }

    /**
     * Continues the active model's alarm from the state another instance of a cluster handed on, so that a machine
     * in alarm stays in alarm when it moves rather than clearing and rising again on a fresh smoother.
     */
    public synchronized void restoreAlarm(Calibration.AlarmState state) {
        slots.active().stream.restoreAlarm(state);
    }

    /** What the active model's drift follower learned, or null when the machine does not follow drift. */
    public synchronized ModelDrift driftState() {
        DriftFollower d = slots.active().stream.drift();
        return d == null ? null : new ModelDrift(slots.active().version, d.state());
    }

    /**
     * Continues the active model's drift follower from what it learned on another instance of a cluster; returns
     * false (and changes nothing) when the machine does not follow drift here or the state is another model's.
     */
    public synchronized boolean restoreDrift(ModelDrift drift) {
        DriftFollower d = slots.active().stream.drift();
        if (d == null || !drift.version().equals(slots.active().version)) {
            return false;
        }
        d.restore(drift.state());
        return true;
    }

    /** Multiplies the models' levels by {@code factor} (relative to their calibration), keeping the versions. */
    public synchronized void scaleLevels(double factor) {
        slots.scaleLevels(factor);
        publish();
    }
}
