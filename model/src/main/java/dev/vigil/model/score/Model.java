package dev.vigil.model.score;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.detect.Preprocessor;
import dev.vigil.model.explain.Contribution;
import dev.vigil.model.explain.FaultHypothesis;
import dev.vigil.model.explain.IsoZone;
import dev.vigil.model.feature.FeatureDef;
import dev.vigil.model.feature.FeatureKind;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.Observation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model: the feature schema, the context normaliser, the detector and the calibration. Scoring is
 * batched ({@link #score(List)}); turning scores into alarms is per stream ({@link Stream}).
 *
 * @param spec how features are computed
 * @param features the feature schema
 * @param numericContext numeric context names
 * @param categoricalContext categorical context names
 * @param preprocessor context normalisation
 * @param detector the detector
 * @param calibration levels, smoothing, hysteresis
 * @param isoClass ISO 10816 machine class for zones, or null
 */
public record Model(FeatureSpec spec, List<FeatureDef> features, List<String> numericContext,
                    List<String> categoricalContext, Preprocessor preprocessor, Detector detector,
                    Calibration calibration, IsoZone.MachineClass isoClass) {

    private static final int TOP = 5;

    /** This model reporting ISO 10816 zones for another machine class (zones only: scores are unchanged). */
    public Model withIsoClass(IsoZone.MachineClass c) {
        return new Model(spec, features, numericContext, categoricalContext, preprocessor, detector, calibration, c);
    }

    /** This model with its warning and critical levels multiplied by {@code factor}. */
    public Model withLevelsScaled(double factor) {
        return new Model(spec, features, numericContext, categoricalContext, preprocessor, detector,
                calibration.scaled(factor), isoClass);
    }

    /**
     * Raw detector results for a batch of one stream's observations in time order; observations that are not
     * scorable (sensor problem, transient) get null. Stateful detectors: use {@link Stream#score(List)}.
     */
    public Detector.Scored[] score(List<Observation> batch) {
        return score(detector, batch);
    }

    private Detector.Scored[] score(Detector d, List<Observation> batch) {
        return score(d, batch, null);
    }

    private Detector.Scored[] score(Detector d, List<Observation> batch, DriftFollower drift) {
        List<double[]> z = new ArrayList<>();
        List<double[]> ctx = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Observation o = batch.get(i);
            if (!o.scorable() && !(o.steady() && overload(o) > 0) || unfamiliar(o) != null) {
                continue;
            }
            double[] zi = preprocessor.standardise(o.features(), o.numericContext(), o.categoricalContext());
            z.add(drift == null ? zi : drift.apply(zi));
            ctx.add(preprocessor.encodeContext(o.numericContext(), o.categoricalContext()));
            where.add(i);
        }
        Detector.Scored[] scored = d.score(z.toArray(double[][]::new), ctx.toArray(double[][]::new));
        Detector.Scored[] out = new Detector.Scored[batch.size()];
        for (int k = 0; k < where.size(); k++) {
            out[where.get(k)] = scored[k];
        }
        return out;
    }

    /** A stream's alarm state: feed it observations in time order with their scores. */
    public Stream stream() {
        return new Stream(null);
    }

    /** A stream that follows slow healthy drift with the given guards ({@link DriftFollower}). */
    public Stream stream(DriftFollower.Settings drift) {
        return new Stream(new DriftFollower(drift, features.stream().map(FeatureDef::name).toList()));
    }

    /** Per-stream smoothing and hysteresis; not thread-safe. */
    public final class Stream {
        private final Calibration.Tracker tracker = calibration.tracker();
        private final Detector streamDetector = detector.forStream();
        private final DriftFollower drift;
        private final FaultEvidence evidence = new FaultEvidence();

        private Stream(DriftFollower drift) {
            this.drift = drift;
        }

        /** Scores a batch of this stream's observations (in time order); pass each result to {@link #assess}. */
        public Detector.Scored[] score(List<Observation> batch) {
            return Model.this.score(streamDetector, batch, drift);
        }

        /** The alarm's state (smoothing and hysteresis), to continue this stream elsewhere. */
        public Calibration.AlarmState alarmState() {
            return tracker.state();
        }

        /** Continues the alarm from a state this stream left elsewhere (another instance of a cluster). */
        public void restoreAlarm(Calibration.AlarmState state) {
            tracker.restore(state);
        }

        /** The drift follower, or null when this stream does not follow drift. */
        public DriftFollower drift() {
            return drift;
        }

        public Assessment assess(Observation o, Detector.Scored s) {
            double velocity = maxVelocity(o);
            String zone = isoClass != null && velocity == velocity ? isoClass.zone(velocity).name() : null;
            if (s == null) {
                // not scored: the alarm keeps its state, the window says why it was skipped
                Level level = o.sensorIssue() != null ? Level.SENSOR : Level.TRANSIENT;
                List<String> notes = o.notes();
                String unfamiliar = unfamiliar(o);
                if (unfamiliar != null) {
                    notes = new ArrayList<>(notes);
                    notes.add(unfamiliar);
                }
                return new Assessment(o.index(), o.startS(), o.epochMillis(), Double.NaN, tracker.smoothed(),
                        calibration.warning(), calibration.critical(), tracker.alarm(), level, o.sensorIssue(),
                        List.of(), Map.of(), null, zone, velocity, notes);
            }
            List<String> notes = o.notes();
            double overload = o.sensorIssue() == null ? 0 : overload(o);
            if (overload > 0) {
                notes = new ArrayList<>(notes);
                notes.add(String.format(java.util.Locale.ROOT, "%s clipped at the sensor's range with an acceleration RMS "
                        + "%.1fx the expected: the vibration exceeds what the sensor measures, scored as the machine's",
                        o.sensorIssue().substring(o.sensorIssue().indexOf(':') + 1), overload));
            }
            double smoothed = tracker.update(s.score());
            double[] z0 = preprocessor.standardise(o.features(), o.numericContext(), o.categoricalContext());
            double[] z = drift == null ? z0 : drift.apply(z0);
            // the detector's reconstruction lives in the followed frame: add the offset back for expected values
            double[] zhat = drift == null ? s.zhat() : unshift(s.zhat(), drift.offsets());
            double[] expected = preprocessor.expectedRaw(zhat, o.numericContext(), o.categoricalContext());
            double[] expectedContextOnly = preprocessor.expectedRaw(new double[z.length], o.numericContext(),
                    o.categoricalContext());
            Integer[] order = new Integer[features.size()];
            for (int j = 0; j < order.length; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, Comparator.comparingDouble(j -> -s.contribution()[j]));
            List<Contribution> top = new ArrayList<>();
            for (int k = 0; k < Math.min(TOP, order.length); k++) {
                int j = order[k];
                top.add(new Contribution(features.get(j).name(), features.get(j).channel(), s.contribution()[j],
                        o.features()[j], expected[j]));
            }
            Map<String, Double> channels = new LinkedHashMap<>();
            for (int j = 0; j < features.size(); j++) {
                channels.merge(features.get(j).channel(), s.contribution()[j], Double::sum);
            }
            if (smoothed > calibration.clearRatio() * calibration.warning() || tracker.alarm()) {
                evidence.add(features, z, o.defectLines());
            } else {
                evidence.clear();
            }
            FaultHypothesis h = evidence.isEmpty()
                    ? FaultHypothesis.choose(FaultHypothesis.evidenceScores(features, z),
                            FaultHypothesis.lineHeights(o.defectLines()), features, z, o.features(), expectedContextOnly,
                            shaftHz(o), spec.bearing())
                    : FaultHypothesis.choose(evidence.rules(), evidence.lines(), features, z, o.features(),
                            expectedContextOnly, shaftHz(o), spec.bearing());
            if (drift != null) {
                drift.learn(o.index(), o.epochMillis(), z0, smoothed, calibration.warning(), tracker.alarm());
            }
            Level level = tracker.critical() ? Level.CRITICAL : tracker.alarm() ? Level.WARNING : Level.NORMAL;
            return new Assessment(o.index(), o.startS(), o.epochMillis(), s.score(), smoothed, calibration.warning(),
                    calibration.critical(), tracker.alarm(), level, null, top, channels, h, zone, velocity, notes);
        }
    }

    /** A joint's mean position this many training spreads (and {@value #UNFAMILIAR_DEG} degrees) away is news. */
    static final double UNFAMILIAR_SIGMAS = 6;
    static final double UNFAMILIAR_DEG = 10;

    /**
     * Why this observation's operating context is one the model never saw, or null: a categorical context
     * value (a program, a tool, a mode) that training never held, or a robot whose joints sit, over a whole
     * cycle, far from anywhere they sat in training (another program, where the controller does not say which).
     * Such windows are not scored (a detector extrapolating there would call the new context a fault) and the
     * assessment says so.
     */
    private String unfamiliar(Observation o) {
        List<List<String>> levels = preprocessor.levels();
        for (int c = 0; c < levels.size() && c < o.categoricalContext().length; c++) {
            String v = o.categoricalContext()[c];
            // no levels: too many to one-hot (an identifier), so none is news; "" is a tag with no value here
            if (!levels.get(c).isEmpty() && v != null && !v.isEmpty() && !levels.get(c).contains(v)) {
                return String.format(java.util.Locale.ROOT, "unfamiliar context: %s = %s, never seen in training "
                        + "(trained on %s): not scored", categoricalContext.get(c), v, String.join(", ", levels.get(c)));
            }
        }
        for (FeatureSpec.ChannelUse c : spec.channels()) {
            if (!c.use().equals(FeatureSpec.ChannelUse.POSITION)) {
                continue;
            }
            int i = numericContext.indexOf(c.name() + ".mean");
            double v = i < 0 ? Double.NaN : o.numericContext()[i];
            if (v == v) {
                double mean = preprocessor.ctxMean()[i];
                double sd = preprocessor.ctxStd()[i];
                if (Math.abs(v - mean) > Math.max(UNFAMILIAR_SIGMAS * sd, UNFAMILIAR_DEG)) {
                    return String.format(java.util.Locale.ROOT, "unfamiliar context: %s.mean %.1f, trained %.1f +/- "
                            + "%.1f (another program?): not scored", c.name(), v, mean, sd);
                }
            }
        }
        return null;
    }

    /** A clipped channel's acceleration RMS this many times its expected value is overload, not a sensor fault. */
    static final double OVERLOAD_RATIO = 3;

    /**
     * How many times the expected acceleration RMS a clipped channel shows, when that is at least
     * {@value #OVERLOAD_RATIO} (the vibration ran past the sensor's range: a failing machine, not a failing
     * sensor, and the worst moment to go quiet); 0 otherwise. A sensor whose range shrank clips a signal of normal
     * size, and stays a sensor problem.
     */
    private double overload(Observation o) {
        String issue = o.sensorIssue();
        if (issue == null || !issue.startsWith("clipping:")) {
            return 0;
        }
        String channel = issue.substring("clipping:".length());
        for (int j = 0; j < features.size(); j++) {
            FeatureDef f = features.get(j);
            if (f.kind() == FeatureKind.RMS && f.channel().equals(channel)) {
                double expected = preprocessor.expectedRaw(new double[features.size()], o.numericContext(),
                        o.categoricalContext())[j];
                double ratio = o.features()[j] / expected;
                return expected > 0 && ratio >= OVERLOAD_RATIO ? ratio : 0;
            }
        }
        return 0;
    }

    private static double[] unshift(double[] zhat, double[] offset) {
        double[] out = zhat.clone();
        for (int j = 0; j < out.length && j < offset.length; j++) {
            out[j] += offset[j];
        }
        return out;
    }

    private double shaftHz(Observation o) {
        for (FeatureSpec.ChannelUse c : spec.channels()) {
            if (c.use().equals(FeatureSpec.ChannelUse.SPEED)) {
                int i = numericContext.indexOf(c.name());
                return i >= 0 ? o.numericContext()[i] / 60 : Double.NaN;
            }
        }
        return Double.NaN;
    }

    private double maxVelocity(Observation o) {
        double v = Double.NaN;
        for (int j = 0; j < features.size(); j++) {
            if (features.get(j).kind() == FeatureKind.VELOCITY) {
                double x = o.features()[j];
                v = v != v || x > v ? x : v;
            }
        }
        return v;
    }
}
