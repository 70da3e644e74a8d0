package dev.vigil.model.train;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.bundle.Fingerprint;
import dev.vigil.model.bundle.TrainingRecord;
import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.data.Finding;
import dev.vigil.model.data.Inputs;
import dev.vigil.model.data.LabelledObservation;
import dev.vigil.model.data.RecordingInput;
import dev.vigil.model.data.TabularInput;
import dev.vigil.model.data.TabularQuality;
import dev.vigil.model.detect.AutoencoderDetector;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.detect.DetectorKind;
import dev.vigil.model.detect.PcaDetector;
import dev.vigil.model.detect.Preprocessor;
import dev.vigil.model.detect.SequenceAutoencoderDetector;
import dev.vigil.model.detect.TrainingListener;
import dev.vigil.model.feature.FeatureDef;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.TabularFeatures;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.score.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains a model: derive the feature spec from the first input, read every input through the feature
 * pipeline, check data quality, fit the context normaliser and the detector on healthy observations, and
 * calibrate thresholds on healthy observations the detector never saw.
 *
 * <p>Healthy observations are split in time within each operating mode: the latest {@code CALIBRATION_SHARE} of
 * every mode set the alarm levels (a temporal hold-out: drift within the training period shows up as higher
 * held-out scores and raises the levels, where interleaved blocks would hide it; every mode is still fitted); of
 * the earlier ones, every fifth block validates (early stopping) and the rest are fitted.
 */
public final class Trainer {
    static final int BLOCK = 50;
    static final int MIN_HEALTHY = 30;
    static final int PCA_BELOW = 300;
    /**
     * Tabular sets up to this many healthy rows get PCA: measured on real data (docs/PERFORMANCE.md), it was as good
     * as the sequence autoencoder there (NASA IMS, 400 training rows: 9 snapshots alarmed before 500 against 14;
     * NAB machine temperature, 1,000 rows: 36 alarms raised over the file against 32) and trains in about a second
     * in 130 MB instead of a minute and 1.8 GB.
     */
    static final int TABULAR_PCA_BELOW = 1000;
    /** Share of the healthy observations, the latest in time, that set the levels. */
    static final double CALIBRATION_SHARE = 0.25;
    static final int MIN_CALIBRATION = 20;

    /** What training produced. */
    public record Result(Model model, DataQualityReport quality, TrainingRecord record) {
    }

    private final TrainOptions options;
    private final TrainingListener listener;
    private final Consumer<String> log;

    public Trainer(TrainOptions options, TrainingListener listener, Consumer<String> log) {
        this.options = options;
        this.listener = listener;
        this.log = log;
    }

    /** The features the pipeline computes, and the context the model is conditioned on. */
    private record Schema(List<FeatureDef> features, List<String> numericContext, List<String> categoricalContext,
                          WaveformFeatures waveform) {
    }

    /** What reading the inputs gave: the healthy observations kept, and how many of each kind were seen. */
    private record Read(List<Observation> healthy, List<TrainingRecord.Input> inputs, long windows, long anomalous,
                        long sensorProblems, long transients) {
    }

    /** The healthy observations split in time: fitted, validating (early stopping), and setting the levels. */
    private record Split(List<Observation> fit, List<Observation> validate, List<Observation> calibrate) {
    }

    /** The levels and what they were set from. */
    private record Levels(Calibration calibration, double[] heldOutScores, double[] sortedSmoothed, double step) {
    }

    public Result train() throws IOException {
        long started = System.nanoTime();
        boolean waveform = Inputs.allRecordings(options.inputs());
        DataQualityReport.Builder dq = new DataQualityReport.Builder();
        String first = String.valueOf(options.inputs().get(0));
        FeatureSpec spec = spec(waveform, dq);
        Schema schema = schema(spec, waveform);
        Read read = read(spec, schema, waveform, dq);
        DataQualityReport report = check(read, schema, waveform, first, dq);
        Split split = split(read.healthy());
        Preprocessor pre = preprocessor(schema.features(), split.fit());
        Detector detector = fitDetector(detectorKind(waveform, read.healthy().size()), pre, split, schema, waveform);
        Levels levels = calibrate(detector, pre, split.calibrate(), read.healthy(), waveform);
        Finding tail = levelsRestOnFewWindows(first, levels.calibration(), levels.sortedSmoothed());
        if (tail != null) {
            List<Finding> findings = new ArrayList<>(report.findings());
            findings.add(tail);
            report = new DataQualityReport(report.inputs(), report.observations(), findings);
            log.accept("warning: " + tail.line());
        }
        Model model = new Model(spec, schema.features(), schema.numericContext(), schema.categoricalContext(), pre,
                detector, levels.calibration(), options.isoClass());
        TrainingRecord record = new TrainingRecord(read.inputs(), optionsRecord(), read.windows(), read.healthy().size(),
                split.fit().size(), split.validate().size(), levels.heldOutScores().length, read.anomalous(),
                read.sensorProblems(), metrics(detector, pre, split.fit(), levels, read.transients()),
                (System.nanoTime() - started) / 1e9);
        return new Result(model, report, record);
    }

    /** The feature spec, derived from the first input (window length and hop found there when asked to). */
    private FeatureSpec spec(boolean waveform, DataQualityReport.Builder dq) throws IOException {
        Path first = options.inputs().get(0);
        FeatureSpec spec = waveform
                ? RecordingInput.deriveSpec(first, options.input(), options.windowSeconds(), options.hopSeconds(), dq)
                : TabularInput.deriveSpec(options.inputs(), options.input(), options.windowRows(), dq);
        if (waveform && (options.windowSeconds() == TrainOptions.AUTO_SECONDS
                || options.hopSeconds() == TrainOptions.AUTO_SECONDS)) {
            boolean motion = spec.channels().stream().anyMatch(c -> c.use().equals(FeatureSpec.ChannelUse.POSITION));
            log.accept(String.format(Locale.ROOT, "windows: %.4g s every %.4g s%s", spec.windowSeconds(),
                    spec.hopSeconds(), motion && spec.windowSeconds() != RecordingInput.DEFAULT_WINDOW_S
                            ? " (one motion cycle, found in the joint positions)" : ""));
        }
        return spec;
    }

    private static Schema schema(FeatureSpec spec, boolean waveform) {
        if (waveform) {
            WaveformFeatures wf = new WaveformFeatures(spec);
            return new Schema(wf.features(), wf.numericContext(), wf.categoricalContext(), wf);
        }
        TabularFeatures tf = new TabularFeatures(spec);
        return new Schema(tf.features(), tf.numericContext(), tf.categoricalContext(), null);
    }

    /**
     * Reads every input through the feature pipeline; keeps (evenly thinned to the cap) the steady healthy
     * observations, and counts the labelled anomalous, those with sensor problems and the transients left out.
     */
    private Read read(FeatureSpec spec, Schema schema, boolean waveform, DataQualityReport.Builder dq)
            throws IOException {
        Thinned kept = new Thinned(options.maxObservations());
        long[] counts = new long[4]; // read, labelled anomalous, sensor problems, transients
        List<TrainingRecord.Input> fingerprints = new ArrayList<>();
        for (Path in : options.inputs()) {
            dq.input(in.toString());
            fingerprints.add(Fingerprint.input(in));
            log.accept("reading " + in);
            Consumer<LabelledObservation> sink = lo -> {
                counts[0]++;
                if (lo.anomalous()) {
                    counts[1]++;
                } else if (lo.observation().sensorIssue() != null || lo.sensorFault() != null) {
                    counts[2]++;
                } else if (!lo.observation().steady()) {
                    counts[3]++;
                } else {
                    kept.add(lo.observation());
                }
            };
            if (waveform) {
                RecordingInput.read(in, schema.waveform(), dq, sink);
            } else {
                TabularQuality quality = new TabularQuality(in.toString());
                TabularInput.read(in, spec, options.input(), options.input().labelColumn(), dq, quality.profiles(), sink);
                quality.report(dq);
            }
        }
        return new Read(kept.observations(), fingerprints, counts[0], counts[1], counts[2], counts[3]);
    }

    /** The data quality report; refuses (with every finding) data too poor to train on. */
    private DataQualityReport check(Read read, Schema schema, boolean waveform, String first,
                                    DataQualityReport.Builder dq) {
        if (read.sensorProblems() > 0) {
            dq.warning(first, "", "", read.sensorProblems() + " windows with sensor problems (dropout, flatline, "
                    + "clipping, spikes or missing values) left out of fitting");
        }
        List<Observation> healthy = read.healthy();
        List<String> categorical = schema.categoricalContext();
        for (int c = 0; c < categorical.size(); c++) {
            int index = c;
            long levels = healthy.stream().map(o -> o.categoricalContext()[index]).distinct().count();
            if (levels > 1) {
                dq.warning(first, categorical.get(c), "", levels + " operating modes detected; the "
                        + "model is conditioned on them, so a mode it never saw in training is scored less reliably");
            }
        }
        if (healthy.size() < MIN_HEALTHY) {
            dq.error(first, "", "", "too little healthy data: " + healthy.size() + " usable "
                    + (waveform ? "windows" : "rows") + ", at least " + MIN_HEALTHY + " are needed");
        }
        DataQualityReport report = dq.build();
        report.warnings().forEach(w -> log.accept("warning: " + w.line()));
        if (!report.ok()) {
            throw new TrainingDataException(report);
        }
        return report;
    }

    /**
     * Temporal split within each operating mode: the latest quarter of every mode's healthy observations sets the
     * levels, so that slow change inside the training period (run-in, temperature, wandering sensors) raises them
     * honestly instead of being averaged away, while every mode is fitted (a mode that only ran at the end would
     * otherwise be met first in calibration and inflate the levels). Of the rest, every fifth block validates
     * (early stopping).
     */
    private static Split split(List<Observation> healthy) {
        boolean[] calibrates = calibrationMask(healthy);
        List<Observation> earlier = new ArrayList<>();
        List<Observation> cal = new ArrayList<>();
        for (int i = 0; i < healthy.size(); i++) {
            (calibrates[i] ? cal : earlier).add(healthy.get(i));
        }
        List<Observation> fit = new ArrayList<>();
        List<Observation> val = new ArrayList<>();
        int block = Math.max(5, Math.min(BLOCK, earlier.size() / 10));
        for (int b = 0; b * block < earlier.size(); b++) {
            List<Observation> part = earlier.subList(b * block, Math.min(earlier.size(), (b + 1) * block));
            (b % 5 == 4 ? val : fit).addAll(part);
        }
        if (val.isEmpty()) {
            val.addAll(fit.subList((int) (0.8 * fit.size()), fit.size()));
        }
        return new Split(fit, val, cal);
    }

    private static Preprocessor preprocessor(List<FeatureDef> defs, List<Observation> fit) {
        boolean[] logs = new boolean[defs.size()];
        for (int j = 0; j < logs.length; j++) {
            logs[j] = defs.get(j).log();
        }
        return Preprocessor.fit(logs, fit.stream().map(Observation::features).toList(),
                fit.stream().map(Observation::numericContext).toList(),
                fit.stream().map(Observation::categoricalContext).toList());
    }

    /** The detector asked for, or for {@code auto} the one that suits the data's kind and amount. */
    private DetectorKind detectorKind(boolean waveform, int healthy) {
        if (!options.detector().equals(TrainOptions.AUTO)) {
            return DetectorKind.parse(options.detector());
        }
        // waveform windows are already rich summaries; rows of a tabular stream mean most in sequence, but a
        // small table does not feed a network well (and PCA fits it in a second)
        int pcaBelow = waveform ? PCA_BELOW : TABULAR_PCA_BELOW;
        DetectorKind kind = healthy <= pcaBelow ? DetectorKind.PCA
                : waveform ? DetectorKind.AUTOENCODER : DetectorKind.SEQUENCE_AUTOENCODER;
        log.accept("detector: " + kind.id() + (healthy <= pcaBelow ? " (" + healthy + " healthy "
                + (waveform ? "windows" : "rows") + ", up to " + pcaBelow + " get PCA)" : ""));
        return kind;
    }

    private Detector fitDetector(DetectorKind kind, Preprocessor pre, Split split, Schema schema, boolean waveform) {
        List<double[]> zFit = standardise(pre, split.fit());
        int features = schema.features().size();
        return switch (kind) {
            case PCA -> PcaDetector.fit(zFit, 0.9);
            case AUTOENCODER -> AutoencoderDetector.fit(zFit, context(pre, split.fit()),
                    standardise(pre, split.validate()), context(pre, split.validate()),
                    AutoencoderDetector.Settings.forData(features, pre.contextWidth(), zFit.size()), options.seed(),
                    listener);
            case SEQUENCE_AUTOENCODER -> SequenceAutoencoderDetector.fit(zFit, context(pre, split.fit()),
                    standardise(pre, split.validate()), context(pre, split.validate()),
                    SequenceAutoencoderDetector.Settings.forData(features, waveform ? 10 : options.windowRows(),
                            zFit.size()), options.seed(), listener);
        };
    }

    /** Sets the levels from the held-out healthy observations (the latest of every mode), scored as one stream. */
    private Levels calibrate(Detector detector, Preprocessor pre, List<Observation> cal, List<Observation> healthy,
                             boolean waveform) {
        Detector.Scored[] calScored = detector.forStream().score(standardise(pre, cal).toArray(double[][]::new),
                context(pre, cal).toArray(double[][]::new));
        double[] calScores = Arrays.stream(calScored).mapToDouble(Detector.Scored::score).toArray();
        double step = stepSeconds(healthy);
        double[] smoothedCal = Calibration.smooth(calScores, Calibration.DEFAULT_ALPHA);
        Calibration calibration = Calibration.fit(smoothedCal, step, options.falseAlarmsPerWeek());
        log.accept(String.format(Locale.ROOT, "levels: warning %.4g, critical %.4g from %d held-out healthy "
                        + "%s, the latest of each operating mode (%s tail) for %.3g false alarms per week at one %s every %.3g s",
                calibration.warning(), calibration.critical(), smoothedCal.length, waveform ? "windows" : "rows",
                calibration.tail().method(), options.falseAlarmsPerWeek(), waveform ? "window" : "row", step));
        double[] sorted = Arrays.stream(smoothedCal).filter(Double::isFinite).sorted().toArray();
        return new Levels(calibration, calScores, sorted, step);
    }

    private Map<String, Object> metrics(Detector detector, Preprocessor pre, List<Observation> fit, Levels levels,
                                        long transients) {
        double[] sorted = levels.sortedSmoothed();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("fitScoreMean", mean(detector.forStream().score(standardise(pre, fit).toArray(double[][]::new),
                context(pre, fit).toArray(double[][]::new))));
        metrics.put("stepSeconds", levels.step());
        metrics.put("falseAlarmsPerWeek", options.falseAlarmsPerWeek());
        metrics.put("calibrationMethod", levels.calibration().tail().method());
        metrics.put("calibrationScoreMedian", sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2]);
        metrics.put("calibrationScoreMax", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
        metrics.putAll(detector.hyperParameters());
        metrics.put("transientWindowsSkipped", transients);
        return metrics;
    }

    /** The options as the training record keeps them. */
    private Map<String, Object> optionsRecord() {
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("detector", options.detector());
        opts.put("timestamp", options.input().timestampColumn());
        opts.put("ignore", options.input().ignore());
        opts.put("context", options.input().context());
        opts.put("label", options.input().labelColumn());
        opts.put("separator", options.input().separator() == null ? null : String.valueOf(options.input().separator()));
        opts.put("windowSeconds", options.windowSeconds());
        opts.put("hopSeconds", options.hopSeconds());
        opts.put("windowRows", options.windowRows());
        return opts;
    }

    /** Trains and writes the bundle. */
    public Result trainTo(Path bundle) throws IOException {
        Result r = train();
        Bundle.write(bundle, r.model(), r.quality(), r.record(), options.seed());
        return r;
    }

    /** Levels this far above the median held-out healthy score are set by a few odd windows, not by the machine. */
    static final double LEVEL_TO_MEDIAN_LIMIT = 10;

    /**
     * A warning when the warning level sits far above what healthy windows usually score: the few highest held-out
     * windows set it (rare operating modes, too little data), and faults that stay below it go unnoticed.
     */
    static Finding levelsRestOnFewWindows(String file, Calibration c, double[] sortedScores) {
        if (sortedScores.length == 0) {
            return null;
        }
        double median = sortedScores[sortedScores.length / 2];
        if (!(median > 0) || !(c.warning() > LEVEL_TO_MEDIAN_LIMIT * median)) {
            return null;
        }
        long high = Arrays.stream(sortedScores).filter(v -> v > 5 * median).count();
        return new Finding(Finding.WARNING, file, "", "", String.format(java.util.Locale.ROOT,
                "calibration: the warning level %.3g is %.0fx the median healthy score %.3g; it rests on the %d of %d "
                        + "held-out healthy windows scoring over 5x the median (up to %.3g), so faults that stay below "
                        + "it go unnoticed: train on more healthy data that covers every operating mode",
                c.warning(), c.warning() / median, median, high, sortedScores.length, sortedScores[sortedScores.length - 1]));
    }

    /**
     * Which healthy observations calibrate: per operating mode (categorical context), the latest
     * {@code CALIBRATION_SHARE} of its observations, at least one of every mode with four or more; at least
     * {@code MIN_CALIBRATION} in all (taken from the latest of the rest when the modes give fewer).
     */
    static boolean[] calibrationMask(List<Observation> healthy) {
        Map<String, List<Integer>> byMode = new LinkedHashMap<>();
        for (int i = 0; i < healthy.size(); i++) {
            byMode.computeIfAbsent(String.join("\u0000", healthy.get(i).categoricalContext()), k -> new ArrayList<>()).add(i);
        }
        boolean[] mask = new boolean[healthy.size()];
        int n = 0;
        for (List<Integer> idx : byMode.values()) {
            int take = idx.size() < 4 ? 0 : Math.max(1, (int) Math.round(CALIBRATION_SHARE * idx.size()));
            for (int k = idx.size() - take; k < idx.size(); k++) {
                mask[idx.get(k)] = true;
                n++;
            }
        }
        int want = Math.min(MIN_CALIBRATION, healthy.size() / 3);
        for (int i = healthy.size() - 1; i >= 0 && n < want; i--) {
            if (!mask[i]) {
                mask[i] = true;
                n++;
            }
        }
        return mask;
    }

    /**
     * Wall-clock time per healthy observation, which turns "false alarms per week" into a rate per window: the mean
     * of the positive gaps between consecutive observations' times, so that data sent in bursts (1 s of vibration
     * every 10 minutes) counts as few windows a week, not as if it were continuous. Gaps of a day or more (between
     * separate recordings) and steps back in time (a new file) are left out. Without times: the median step of
     * their start offsets, and one second per row for tabular data without timestamps.
     */
    static double stepSeconds(List<Observation> obs) {
        double sum = 0;
        int n = 0;
        for (int i = 1; i < obs.size(); i++) {
            long a = obs.get(i - 1).epochMillis();
            long b = obs.get(i).epochMillis();
            if (a == Long.MIN_VALUE || b == Long.MIN_VALUE) {
                n = 0;
                break;
            }
            double dt = (b - a) / 1000.0;
            if (dt > 0 && dt < 86_400) {
                sum += dt;
                n++;
            }
        }
        if (n > 0) {
            return sum / n;
        }
        double[] d = new double[Math.max(0, obs.size() - 1)];
        int m = 0;
        for (int i = 1; i < obs.size(); i++) {
            double dt = obs.get(i).startS() - obs.get(i - 1).startS();
            if (dt > 0) {
                d[m++] = dt;
            }
        }
        if (m == 0) {
            return 1;
        }
        double[] sorted = Arrays.copyOf(d, m);
        Arrays.sort(sorted);
        return sorted[m / 2];
    }

    private static double mean(Detector.Scored[] s) {
        return Arrays.stream(s).mapToDouble(Detector.Scored::score).average().orElse(Double.NaN);
    }

    static List<double[]> standardise(Preprocessor pre, List<Observation> obs) {
        List<double[]> out = new ArrayList<>(obs.size());
        for (Observation o : obs) {
            out.add(pre.standardise(o.features(), o.numericContext(), o.categoricalContext()));
        }
        return out;
    }

    static List<double[]> context(Preprocessor pre, List<Observation> obs) {
        List<double[]> out = new ArrayList<>(obs.size());
        for (Observation o : obs) {
            out.add(pre.encodeContext(o.numericContext(), o.categoricalContext()));
        }
        return out;
    }

    /** Keeps at most about {@code cap} observations of a stream of unknown length, evenly spaced. */
    static final class Thinned {
        private final int cap;
        private final List<Observation> kept = new ArrayList<>();
        private long stride = 1;
        private long seen;

        Thinned(int cap) {
            this.cap = Math.max(100, cap);
        }

        void add(Observation o) {
            if (seen++ % stride == 0) {
                kept.add(o);
                if (kept.size() >= 2 * cap) {
                    List<Observation> half = new ArrayList<>(cap);
                    for (int i = 0; i < kept.size(); i += 2) {
                        half.add(kept.get(i));
                    }
                    kept.clear();
                    kept.addAll(half);
                    stride *= 2;
                }
            }
        }

        List<Observation> observations() {
            return kept;
        }
    }
}
