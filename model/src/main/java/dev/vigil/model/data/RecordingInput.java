package dev.vigil.model.data;

import dev.vigil.format.ChannelMeta;
import dev.vigil.format.ChannelReader;
import dev.vigil.format.DatasetFormatException;
import dev.vigil.format.Label;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingReader;
import dev.vigil.model.feature.CycleMatch;
import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureStream;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.Standstill;
import dev.vigil.model.feature.WaveformFeatures;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Reads waveform recordings window by window through the feature pipeline. */
public final class RecordingInput {
    /** Fraction of the sample rate bounding the default envelope band: above shaft harmonics, below anti-alias roll-off. */
    public static final double[] DEFAULT_ENVELOPE_BAND = {0.15, 0.42};
    /** Window or hop length meaning "choose from the data" (as {@code TrainOptions.AUTO_SECONDS}). */
    public static final double AUTO_SECONDS = 0;

    private RecordingInput() {
    }

    /** Decides from the first recording how each channel is used. */
    public static FeatureSpec deriveSpec(Path first, InputOptions options, double windowSeconds, double hopSeconds,
                                         DataQualityReport.Builder dq) throws IOException {
        RecordingReader r = RecordingReader.open(first);
        RecordingMeta meta = r.meta();
        List<ChannelUse> uses = new ArrayList<>();
        for (ChannelMeta c : meta.channels()) {
            if (options.ignore().contains(c.name())) {
                continue;
            }
            String use = switch (c.role()) {
                case "vibration" -> ChannelUse.VIBRATION;
                case "current" -> isAlternating(r, c) ? ChannelUse.AC_CURRENT : ChannelUse.SERVO_CURRENT;
                case "position" -> ChannelUse.POSITION;
                case "tag" -> tagUse(r, c, dq, first);
                default -> c.unit().equals("g") ? ChannelUse.VIBRATION : null;
            };
            if (use == null) {
                dq.warning(first.toString(), c.name(), "", "channel with role '" + c.role() + "' and unit '" + c.unit()
                        + "' is not used (expected vibration, current, position or tag)");
                continue;
            }
            uses.add(new ChannelUse(c.name(), c.unit(), c.sampleRateHz(), use));
        }
        for (String ignored : options.ignore()) {
            if (meta.channel(ignored).isEmpty()) {
                throw new IllegalArgumentException(first + ": --ignore names channel '" + ignored + "', which is not in the recording");
            }
        }
        boolean motion = uses.stream().anyMatch(u -> u.use().equals(ChannelUse.POSITION));
        double window = windowSeconds;
        double hop = hopSeconds;
        double cycleS = 0;
        if (window == AUTO_SECONDS) {
            window = DEFAULT_WINDOW_S;
            if (motion) {
                double cycle = cycle(r, uses);
                double grid = grid(uses);
                if (cycle == cycle) {
                    // room for the longest ordinary cycle and the stretch that finds where it ends
                    cycleS = cycle;
                    window = Math.ceil(CycleMatch.windowFor(cycle) / grid - 1e-6) * grid;
                    if (hop == AUTO_SECONDS) {
                        // every sample in two windows' cycles; the program's jitter and the rounding to the block
                        // grid walk the window starts through the cycle's phases (the features do not depend on
                        // the phase). A shorter hop costs more for no measured gain (0.45: 10 % more windows)
                        hop = Math.max(grid, Math.round(HOP_CYCLES * cycle / grid) * grid);
                    }
                } else {
                    dq.warning(first.toString(), "", "", "joint positions without a repeating motion cycle (none "
                            + "within a minute): " + DEFAULT_WINDOW_S + " s windows, whose scores depend on where in the "
                            + "motion they fall; pass --window with the program's cycle time");
                }
            }
        }
        if (hop == AUTO_SECONDS) {
            hop = window;
        }
        for (ChannelUse u : uses) {
            if (u.use().equals(ChannelUse.VIBRATION) && u.sampleRateHz() * window < 64) {
                throw new IllegalArgumentException(first + ": channel " + u.name() + " gives only "
                        + Math.round(u.sampleRateHz() * window) + " samples per " + window + " s window; use a longer --window");
            }
        }
        double stillLimit = 0;
        if (motion) {
            double span = cycleS > 0 ? cycleS : window;
            uses = motionTags(r, uses, span, hop, dq, first);
            stillLimit = stillLimit(r, uses, span, hop);
        }
        return new FeatureSpec(FeatureSpec.WAVEFORM, window, hop, uses, meta.bearing(),
                DEFAULT_ENVELOPE_BAND.clone(), 0, List.of(), List.of(), List.of(), null, null, stillLimit, cycleS);
    }

    /** A robot's hop in cycles. */
    static final double HOP_CYCLES = 0.5;

    /** Window length without a motion cycle to follow. */
    public static final double DEFAULT_WINDOW_S = 1.0;
    /** Positions read to find the motion cycle. */
    static final double CYCLE_SEARCH_S = 600;

    /** The joints' positions over the recording's first ten minutes, at the rate of the first position channel. */
    private record Joints(List<float[]> positions, double rateHz) {
        static Joints read(RecordingReader r, List<ChannelUse> uses) throws IOException {
            List<float[]> joints = new ArrayList<>();
            double rate = Double.NaN;
            for (ChannelUse u : uses) {
                if (u.use().equals(ChannelUse.POSITION) && (rate != rate || u.sampleRateHz() == rate)) {
                    rate = u.sampleRateHz();
                    ChannelMeta c = r.meta().channel(u.name()).orElseThrow();
                    joints.add(r.read(u.name(), 0, (int) Math.min(c.samples(), Math.round(CYCLE_SEARCH_S * rate))));
                }
            }
            int n = joints.stream().mapToInt(j -> j.length).min().orElse(0);
            return new Joints(joints.stream().map(j -> Arrays.copyOf(j, n)).toList(), rate);
        }

        int samples() {
            return positions.isEmpty() ? 0 : positions.get(0).length;
        }
    }

    /** The motion cycle in the joint positions of the recording's first ten minutes, or NaN. */
    private static double cycle(RecordingReader r, List<ChannelUse> uses) throws IOException {
        Joints j = Joints.read(r, uses);
        return MotionCycle.of(j.positions(), j.rateHz());
    }

    /**
     * How long the robot may stand still in one window and still be running its program: the typical window's
     * standstill (its dwells) plus half a second or a tenth of the window, whichever is more. A window standing
     * still longer holds a pause (the program held, waiting for a part): a state of the cell, not of the robot's
     * health, and one too rare in any training set to be modelled, so it is not scored.
     */
    private static double stillLimit(RecordingReader r, List<ChannelUse> uses, double window, double hop)
            throws IOException {
        Joints joints = Joints.read(r, uses);
        double rate = joints.rateHz();
        int w = (int) Math.round(window * rate);
        int h = Math.max(1, (int) Math.round(hop * rate));
        List<Double> still = new ArrayList<>();
        for (int from = 0; from + w <= joints.samples(); from += h) {
            final int f = from;
            still.add(Standstill.seconds(joints.positions().stream().map(j -> Arrays.copyOfRange(j, f, f + w))
                    .toList(), rate));
        }
        if (still.isEmpty()) {
            return 0;
        }
        Collections.sort(still);
        return still.get(still.size() / 2) + Math.max(0.5, 0.1 * window);
    }

    /** The shortest time step that is a whole number of samples on every channel (0.1 s for 10 Hz tags). */
    static double grid(List<ChannelUse> uses) {
        long g = 0;
        for (ChannelUse u : uses) {
            long rate = Math.round(u.sampleRateHz());
            if (Math.abs(u.sampleRateHz() - rate) > 1e-9 || rate <= 0) {
                return 1;
            }
            g = BigInteger.valueOf(g).gcd(BigInteger.valueOf(rate)).longValue();
        }
        return g == 0 ? 1 : 1.0 / g;
    }

    /**
     * Tags of a moving robot that change inside most windows describe a step of the motion (the move index, the
     * payload picked and placed every cycle), not the operating condition of the window: which step a window
     * holds, or how the tag moved inside it, depends only on where the window falls. A categorical one is left
     * out; a numeric one keeps its mean (a heavier payload stays a heavier payload).
     */
    private static List<ChannelUse> motionTags(RecordingReader r, List<ChannelUse> uses, double window, double hop,
                                               DataQualityReport.Builder dq, Path first) throws IOException {
        List<ChannelUse> out = new ArrayList<>();
        for (ChannelUse u : uses) {
            boolean tag = u.use().equals(ChannelUse.TAG_CATEGORICAL) || u.use().equals(ChannelUse.TAG_NUMERIC);
            if (!tag || changingShare(r, u, window, hop) <= 0.5) {
                out.add(u);
            } else if (u.use().equals(ChannelUse.TAG_CATEGORICAL)) {
                dq.warning(first.toString(), u.name(), "", "changes inside most " + String.format(Locale.ROOT, "%.4g", window) + " s windows: a step of the "
                        + "motion cycle, not an operating condition of the window; not used");
            } else {
                out.add(new ChannelUse(u.name(), u.unit(), u.sampleRateHz(), ChannelUse.TAG_LEVEL));
            }
        }
        return out;
    }

    /** Share of the first windows (up to ten minutes) inside which the tag changes. */
    private static double changingShare(RecordingReader r, ChannelUse u, double window, double hop) throws IOException {
        ChannelMeta c = r.meta().channel(u.name()).orElseThrow();
        float[] x = r.read(u.name(), 0, (int) Math.min(c.samples(), Math.round(CYCLE_SEARCH_S * u.sampleRateHz())));
        int w = (int) Math.round(window * u.sampleRateHz());
        int h = Math.max(1, (int) Math.round(hop * u.sampleRateHz()));
        int windows = 0;
        int changing = 0;
        for (int from = 0; from + w <= x.length; from += h) {
            windows++;
            for (int i = from + 1; i < from + w; i++) {
                if (x[i] != x[from] && x[i] == x[i]) {
                    changing++;
                    break;
                }
            }
        }
        return windows == 0 ? 0 : (double) changing / windows;
    }

    /**
     * AC motor currents swing about zero at the supply frequency; a servo's torque current sits at its load, and
     * where that load reverses with the direction of motion (a joint without gravity load) it crosses zero a few
     * times a second, not a hundred.
     */
    private static boolean isAlternating(RecordingReader r, ChannelMeta c) throws IOException {
        int n = (int) Math.min(c.samples(), Math.round(c.sampleRateHz() * 2));
        float[] x = r.read(c.name(), Math.max(0, c.samples() / 2 - n / 2), n);
        double sumAbs = 0;
        double sum = 0;
        int finite = 0;
        for (float v : x) {
            if (v == v) {
                sum += v;
                sumAbs += Math.abs(v);
                finite++;
            }
        }
        // crossings with hysteresis at a tenth of the RMS: a resting servo's noise about zero is not a supply
        double sq = 0;
        for (float v : x) {
            sq += v == v ? v * v : 0;
        }
        double band = 0.1 * Math.sqrt(sq / Math.max(1, finite));
        int crossings = 0;
        int side = 0;
        for (float v : x) {
            int now = v > band ? 1 : v < -band ? -1 : 0;
            if (now != 0) {
                crossings += side != 0 && now != side ? 1 : 0;
                side = now;
            }
        }
        double perSecond = crossings / Math.max(1e-9, x.length / c.sampleRateHz());
        return finite == 0 || Math.abs(sum) < 0.2 * sumAbs && perSecond >= MIN_SUPPLY_CROSSINGS_PER_S;
    }

    /** Zero crossings per second of the slowest supply an AC current is read at (5 Hz drive output). */
    static final double MIN_SUPPLY_CROSSINGS_PER_S = 10;

    private static String tagUse(RecordingReader r, ChannelMeta c, DataQualityReport.Builder dq, Path file)
            throws IOException {
        if (c.unit().equals("rpm")) {
            return ChannelUse.SPEED;
        }
        if (c.unit().equals("Hz")) {
            return ChannelUse.SUPPLY;
        }
        if (c.unit().equals("%")) {
            // load in percent is the machine measuring its own effort: a worn tool shows there
            return ChannelUse.TAG_MEASURED;
        }
        SignalProfile p = new SignalProfile(c.name());
        boolean integral = true;
        try (ChannelReader cr = r.channel(c.name())) {
            float[] buf = new float[4096];
            int n;
            long row = 0;
            while ((n = cr.read(buf, 0, buf.length)) > 0) {
                for (int i = 0; i < n; i++) {
                    p.add(row++, buf[i]);
                    integral &= buf[i] != buf[i] || buf[i] == Math.rint(buf[i]);
                }
            }
        }
        if (p.monotonic()) {
            dq.warning(file.toString(), c.name(), "", "monotonic tag (a counter or clock, not an operating condition): not used");
            return null;
        }
        return integral && c.unit().equals("1") ? ChannelUse.TAG_CATEGORICAL : ChannelUse.TAG_NUMERIC;
    }

    /**
     * Streams a recording's windows.
     *
     * @return number of windows read
     */
    public static long read(Path dir, WaveformFeatures features, DataQualityReport.Builder dq,
                            Consumer<LabelledObservation> sink) throws IOException {
        RecordingReader r = RecordingReader.open(dir);
        FeatureSpec spec = features.spec();
        List<ChannelUse> uses = spec.channels();
        ChannelReader[] readers = new ChannelReader[uses.size()];
        double duration = Double.MAX_VALUE;
        for (int i = 0; i < uses.size(); i++) {
            ChannelUse u = uses.get(i);
            ChannelMeta c = r.meta().channel(u.name()).orElseThrow(() -> new DatasetFormatException(dir,
                    "channel '" + u.name() + "' that the model uses is missing (channels: "
                            + r.meta().channels().stream().map(ChannelMeta::name).toList() + ")"));
            if (c.sampleRateHz() != u.sampleRateHz()) {
                throw new DatasetFormatException(dir, "channel '" + u.name() + "' is sampled at " + c.sampleRateHz()
                        + " Hz, the model expects " + u.sampleRateHz() + " Hz");
            }
            duration = Math.min(duration, c.durationS());
        }
        List<Label> labels = r.labels();
        boolean labelled = !labels.isEmpty() || java.nio.file.Files.exists(dir.resolve("labels.csv"));
        long windows = duration < spec.windowSeconds() ? 0
                : (long) Math.floor((duration - spec.windowSeconds()) / spec.hopSeconds() + 1e-9) + 1;
        if (windows == 0) {
            dq.error(dir.toString(), "", "", String.format(Locale.ROOT,
                    "recording is %.2f s long, shorter than one %.2f s window", duration, spec.windowSeconds()));
            return 0;
        }
        long startMillis = r.meta().start().toEpochMilli();
        float[][] bufs = new float[uses.size()][];
        FeatureStream stream = features.stream();
        try {
            for (int i = 0; i < uses.size(); i++) {
                readers[i] = r.channel(uses.get(i).name());
                bufs[i] = new float[features.samples(i)];
            }
            for (long w = 0; w < windows; w++) {
                double start = w * spec.hopSeconds();
                for (int i = 0; i < uses.size(); i++) {
                    long from = Math.round(start * uses.get(i).sampleRateHz());
                    if (readers[i].position() != from) {
                        readers[i].seek(from);
                    }
                    int got = 0;
                    while (got < bufs[i].length) {
                        int n = readers[i].read(bufs[i], got, bufs[i].length - got);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                }
                Observation o = stream.next(w, start,
                        startMillis + Math.round((start + spec.windowSeconds()) * 1000), bufs);
                sink.accept(truth(o, labels, labelled, start, start + spec.windowSeconds()));
            }
        } finally {
            for (ChannelReader cr : readers) {
                if (cr != null) {
                    cr.close();
                }
            }
        }
        dq.observations(windows);
        return windows;
    }

    private static LabelledObservation truth(Observation o, List<Label> labels, boolean labelled, double from, double to) {
        String fault = null;
        double severity = 0;
        String sensor = null;
        for (Label l : labels) {
            if (!l.overlaps(from, to) || l.severity() <= 0) {
                continue;
            }
            if (l.category().equals(Label.SENSOR)) {
                sensor = l.fault() + ":" + l.channel();
            } else if (l.severity() >= severity) {
                severity = l.severity();
                fault = l.fault();
            }
        }
        return new LabelledObservation(o, fault, severity, sensor, labelled);
    }
}
