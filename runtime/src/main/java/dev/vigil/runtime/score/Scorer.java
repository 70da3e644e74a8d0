package dev.vigil.runtime.score;

import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureStream;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.TabularFeatures;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.signal.Transforms;
import dev.vigil.runtime.stream.WindowAssembler;

import java.util.ArrayList;
import java.util.List;

/**
 * One model scoring one machine's stream: the model (with the feedback factor applied), its version, its feature
 * stream (the settling gate's state) and its alarm state, and what it did here (windows, alarms, the highest
 * score). A new one starts afresh. Not thread-safe: its machine's lock guards it.
 */
final class Scorer {
    final Model base;
    final String version;
    final Model model;
    private final Transforms transforms;
    /**
     * The waveform features' stream, made with the first window (a spindle's spectra and scratch arrays, about
     * 1.5 MB) and let go by {@link #release}: an instance of a cluster holds it only for the machines it scores.
     */
    private FeatureStream features;
    final TabularFeatures tabular;
    long rows;
    final Model.Stream stream;
    long windows;
    long alarms;
    double maxSmoothed = Double.NaN;

    Scorer(Model base, String version, double levelFactor, DriftFollower.Settings drift, Transforms transforms) {
        this(base, version, levelFactor, drift, transforms, base.spec().isWaveform() ? null
                : new TabularFeatures(base.spec()));
    }

    private Scorer(Model base, String version, double levelFactor, DriftFollower.Settings drift, Transforms transforms,
                   TabularFeatures tabular) {
        this.base = base;
        this.version = version;
        this.model = levelFactor == 1 ? base : base.withLevelsScaled(levelFactor);
        this.transforms = transforms;
        this.tabular = tabular;
        this.stream = drift == null ? model.stream() : model.stream(drift);
    }

    /**
     * This scorer with its levels at {@code levelFactor} times the calibrated ones, going on where it is: the same
     * feature stream (spectra, settling, a table's rolling rows), the alarm's smoothing and hysteresis, what the drift
     * follower learned, the counts. An engineer's verdict changes the levels, not what the machine did: starting
     * afresh would forget a day of learned drift and restart the feature windows at every false alarm resolved.
     * Only a sequence detector's memory of the last rows starts again (as at a restart).
     */
    Scorer rescaled(double levelFactor, DriftFollower.Settings drift) {
        Scorer next = new Scorer(base, version, levelFactor, drift, transforms, tabular);
        next.features = features;
        next.rows = rows;
        next.windows = windows;
        next.alarms = alarms;
        next.maxSmoothed = maxSmoothed;
        next.stream.restoreAlarm(stream.alarmState());
        if (stream.drift() != null && next.stream.drift() != null) {
            next.stream.drift().restore(stream.drift().state());
        }
        return next;
    }

    List<Assessment> assessRows(List<MachineStream.Reading> readings, long firstMillis) {
        FeatureSpec spec = base.spec();
        List<Observation> batch = new ArrayList<>(readings.size());
        for (MachineStream.Reading r : readings) {
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
        if (features == null) {
            features = new WaveformFeatures(base.spec(), transforms).stream();
        }
        List<Observation> batch = new ArrayList<>(ws.size());
        for (WindowAssembler.Window w : ws) {
            long endMillis = (w.startNanos() / 1_000_000L) + Math.round(model.spec().windowSeconds() * 1000);
            batch.add(features.next(w.index(), w.index() * model.spec().hopSeconds(), endMillis, w.channels()));
        }
        return scoreAll(batch);
    }

    /** Lets go of the feature stream (its settling state too: the next window starts it afresh). */
    void release() {
        features = null;
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
