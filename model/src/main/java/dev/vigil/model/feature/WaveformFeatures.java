package dev.vigil.model.feature;

import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.signal.BlockMoments;
import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.SpectralKurtosis;
import dev.vigil.model.signal.Transforms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Computes the feature vector and operating context of one multi-channel waveform window, as a
 * {@link FeatureSpec} prescribes. Not thread-safe (it reuses FFT buffers): one instance per thread.
 */
public final class WaveformFeatures {
    private final FeatureSpec spec;
    private final List<FeatureDef> defs = new ArrayList<>();
    private final List<String> numericContext = new ArrayList<>();
    private final List<String> categoricalContext = new ArrayList<>();
    private final int[] samples;
    private final Map<Integer, VibrationFeatures> vibration = new HashMap<>();
    private final Map<Integer, ServoCurrentFeatures> servo = new HashMap<>();
    private final int[] acChannels;
    private final CurrentFeatures ac;
    private final int speed;
    private final int supply;
    // a robot's joint positions, all at the first position channel's rate: cycle and standstill are read there
    private final int[] joints;
    private final double jointRate;
    // where windows overlap (a robot's, by half a cycle), per signal channel: what the window shares with the
    // ones before it is summarised once; null where they do not
    private final BlockMoments[] overlapping;

    /** Features with their own FFT plans and windows (one stream, as training and offline scoring read). */
    public WaveformFeatures(FeatureSpec spec) {
        this(spec, new Transforms());
    }

    /**
     * @param shared FFT plans and windows shared with other machines' features (the service builds one set for its
     *               whole fleet)
     */
    public WaveformFeatures(FeatureSpec spec, Transforms shared) {
        if (!spec.isWaveform()) {
            throw new IllegalArgumentException("not a waveform feature spec: " + spec.inputKind());
        }
        this.spec = spec;
        List<ChannelUse> chans = spec.channels();
        samples = new int[chans.size()];
        int speedAt = -1;
        int supplyAt = -1;
        for (int i = 0; i < chans.size(); i++) {
            samples[i] = (int) Math.round(chans.get(i).sampleRateHz() * spec.windowSeconds());
            String use = chans.get(i).use();
            if (use.equals(ChannelUse.SPEED)) {
                speedAt = i;
            } else if (use.equals(ChannelUse.SUPPLY)) {
                supplyAt = i;
            }
        }
        this.speed = speedAt;
        this.supply = supplyAt;
        List<Integer> jointIdx = new ArrayList<>();
        double rate = Double.NaN;
        for (int i = 0; i < chans.size(); i++) {
            if (chans.get(i).use().equals(ChannelUse.POSITION) && (rate != rate || chans.get(i).sampleRateHz() == rate)) {
                rate = chans.get(i).sampleRateHz();
                jointIdx.add(i);
            }
        }
        this.joints = jointIdx.stream().mapToInt(Integer::intValue).toArray();
        this.jointRate = rate;
        List<Integer> acIdx = new ArrayList<>();
        for (int i = 0; i < chans.size(); i++) {
            ChannelUse c = chans.get(i);
            switch (c.use()) {
                case ChannelUse.VIBRATION -> {
                    if (samples[i] < 64) {
                        throw new IllegalArgumentException("window of " + spec.windowSeconds() + " s holds only " + samples[i]
                                + " samples of " + c.name() + "; at least 64 are needed");
                    }
                    VibrationFeatures v = new VibrationFeatures(c.name(), c.sampleRateHz(), samples[i], spec.bearing(),
                            speed >= 0, spec.envelopeBandFraction(), shared);
                    v.define(defs);
                    vibration.put(i, v);
                }
                case ChannelUse.AC_CURRENT -> acIdx.add(i);
                case ChannelUse.SERVO_CURRENT -> {
                    ServoCurrentFeatures s = new ServoCurrentFeatures(c.name(), c.sampleRateHz(), samples[i], shared);
                    s.define(defs);
                    servo.put(i, s);
                }
                case ChannelUse.POSITION -> {
                    numericContext.add(c.name() + ".speed");
                    numericContext.add(c.name() + ".mean");
                }
                case ChannelUse.TAG_NUMERIC, ChannelUse.SPEED, ChannelUse.SUPPLY -> {
                    numericContext.add(c.name());
                    // how much the condition moved inside the window: ramps and steps look different from steady running
                    numericContext.add(c.name() + ".delta");
                }
                case ChannelUse.TAG_LEVEL -> numericContext.add(c.name());
                case ChannelUse.TAG_CATEGORICAL -> {
                    categoricalContext.add(c.name());
                    numericContext.add(c.name() + ".changed");
                }
                case ChannelUse.TAG_MEASURED -> defs.add(new FeatureDef(c.name(), c.name(), FeatureKind.LOAD, false));
                default -> throw new IllegalArgumentException("unknown channel use '" + c.use() + "' for " + c.name());
            }
        }
        acChannels = acIdx.stream().mapToInt(Integer::intValue).toArray();
        overlapping = new BlockMoments[chans.size()];
        for (int i = 0; i < chans.size(); i++) {
            if (spec.hopSeconds() < spec.windowSeconds() && (vibration.containsKey(i) || servo.containsKey(i)
                    || chans.get(i).use().equals(ChannelUse.AC_CURRENT))) {
                overlapping[i] = new BlockMoments(samples[i]);
            }
        }
        if (acChannels.length > 0) {
            List<String> names = acIdx.stream().map(i -> chans.get(i).name()).toList();
            ac = new CurrentFeatures(names, chans.get(acChannels[0]).sampleRateHz(), samples[acChannels[0]], speed >= 0,
                    shared);
            ac.define(defs);
        } else {
            ac = null;
        }
        if (defs.isEmpty()) {
            throw new IllegalArgumentException("no vibration or current channel to compute features from");
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    public List<FeatureDef> features() {
        return List.copyOf(defs);
    }

    public List<String> numericContext() {
        return List.copyOf(numericContext);
    }

    public List<String> categoricalContext() {
        return List.copyOf(categoricalContext);
    }

    /** Samples each channel contributes to one window, in spec channel order. */
    public int samples(int channel) {
        return samples[channel];
    }

    /** A new stream through these features and the settling gate: one per recording, or per live machine. */
    public FeatureStream stream() {
        return new FeatureStream(this);
    }

    /** Computes one window: {@code windows[i]} holds exactly {@link #samples(int)} samples of channel i. */
    public Observation extract(long index, double startS, long epochMillis, float[][] windows) {
        List<ChannelUse> chans = spec.channels();
        for (int i = 0; i < chans.size(); i++) {
            if (windows[i].length != samples[i]) {
                throw new IllegalArgumentException("channel " + chans.get(i).name() + ": window has " + windows[i].length
                        + " samples, expected " + samples[i]);
            }
        }
        boolean completeCycle = true;
        boolean cyclic = false;
        // the whole window, before it is cut to one cycle: the cycle's end is found in the stretch after it
        float[][] whole = windows;
        List<String> notes = new ArrayList<>();
        if (spec.cycleSeconds() > 0 && speed < 0) {
            double length = cycleLength(windows);
            if (length == length) {
                windows = firstSeconds(windows, length);
                cyclic = true;
            } else {
                // a pause or another motion: no complete ordinary cycle to compare with training
                completeCycle = false;
                notes.add(String.format(Locale.ROOT, "no complete cycle of the %.3g s program the model knows "
                        + "(a pause, or another program): not scored", spec.cycleSeconds()));
            }
        }
        double shaftHz = speed >= 0 ? mean(windows[speed]) / 60 : Double.NaN;
        double supplyHz = supply >= 0 ? mean(windows[supply]) : Double.NaN;
        double[] out = new double[defs.size()];
        double[] ctx = new double[numericContext.size()];
        String[] cat = new String[categoricalContext.size()];
        String issue = null;
        boolean steady = true;
        List<DefectLines> lines = new ArrayList<>();
        // the current phases' moments, taken for the sensor check and read again by the current features
        Moments[] moments = new Moments[chans.size()];
        int at = 0;
        int c = 0;
        int k = 0;
        for (int i = 0; i < chans.size(); i++) {
            ChannelUse ch = chans.get(i);
            float[] x = windows[i];
            switch (ch.use()) {
                case ChannelUse.VIBRATION, ChannelUse.SERVO_CURRENT, ChannelUse.AC_CURRENT -> {
                    long position = overlapping[i] == null ? SpectralKurtosis.NO_POSITION
                            : Math.round(startS * ch.sampleRateHz());
                    Moments m = overlapping[i] == null ? Moments.of(x, 0, x.length) : overlapping[i].of(x, 0, x.length, position);
                    moments[i] = m;
                    // frames are reused only from windows without a gap (a NaN is a missing sample)
                    long reuse = m.missing() == 0 ? position : SpectralKurtosis.NO_POSITION;
                    String problem = SensorCheck.check(ch.name(), x, m);
                    issue = issue == null ? problem : issue;
                    if (ch.use().equals(ChannelUse.VIBRATION)) {
                        at = vibration.get(i).extract(x, m, shaftHz, out, at, lines, cyclic, reuse);
                    } else if (ch.use().equals(ChannelUse.SERVO_CURRENT)) {
                        at = servo.get(i).extract(x, m, out, at, cyclic);
                    }
                }
                case ChannelUse.POSITION -> {
                    double travel = 0;
                    for (int j = 1; j < x.length; j++) {
                        travel += Math.abs(x[j] - x[j - 1]);
                    }
                    ctx[c++] = travel / Math.max(1e-9, x.length / ch.sampleRateHz());
                    ctx[c++] = mean(x);
                }
                case ChannelUse.TAG_CATEGORICAL -> {
                    cat[k++] = majority(x);
                    boolean changed = changed(x);
                    ctx[c++] = changed ? 1 : 0;
                    // a program or tool change inside the window is a transient (a robot's tags that change in
                    // every cycle, such as the move index, were left out of the spec in training); on a robot,
                    // anywhere in the window: the move into another program right after the cycle also spoils
                    // the match that finds the cycle's end
                    boolean changedInWindow = cyclic ? changed(whole[i]) : changed;
                    steady &= !changedInWindow;
                    if (changedInWindow && cyclic) {
                        notes.add(ch.name() + " changed inside this window (a change of program): not scored");
                    }
                }
                case ChannelUse.TAG_LEVEL -> ctx[c++] = mean(x);
                case ChannelUse.TAG_MEASURED -> {
                    double mean = mean(x);
                    out[at++] = mean;
                    // the load stepping inside the window (a cut engaging) is a transient as well
                    steady &= x.length == 0 || Math.abs(finiteOr0(x[x.length - 1]) - finiteOr0(x[0]))
                            <= 0.2 * Math.abs(mean) + 5;
                }
                case ChannelUse.SPEED -> {
                    double mean = mean(x);
                    ctx[c++] = mean;
                    ctx[c++] = x.length == 0 ? 0 : finiteOr0(x[x.length - 1]) - finiteOr0(x[0]);
                    steady &= steadySpeed(x, mean);
                }
                default -> {
                    ctx[c++] = mean(x);
                    ctx[c++] = x.length == 0 ? 0 : finiteOr0(x[x.length - 1]) - finiteOr0(x[0]);
                }
            }
        }
        steady &= completeCycle;
        // a robot held at a waypoint longer than its program ever dwells is paused, not running: not scored
        double still = spec.stillLimitSeconds() > 0 && joints.length > 0
                ? Standstill.seconds(positions(windows), jointRate) : 0;
        if (still > spec.stillLimitSeconds() && spec.stillLimitSeconds() > 0) {
            steady = false;
            notes.add(String.format(Locale.ROOT, "paused: no joint moved for %.1f s of this window (the program "
                    + "dwells up to %.1f s): not scored", still, spec.stillLimitSeconds()));
        }
        if (ac != null) {
            float[][] phases = new float[acChannels.length][];
            Moments[] phaseMoments = new Moments[acChannels.length];
            for (int p = 0; p < acChannels.length; p++) {
                phases[p] = windows[acChannels[p]];
                phaseMoments[p] = moments[acChannels[p]];
            }
            ac.extract(phases, phaseMoments, supplyHz, shaftHz, out, at);
        }
        return new Observation(index, startS, epochMillis, out, ctx, cat, issue, steady, notes, lines);
    }

    /** The length of the motion cycle that starts the window, from the joint positions; NaN when none matches. */
    private double cycleLength(float[][] windows) {
        return joints.length == 0 ? Double.NaN : CycleMatch.length(positions(windows), jointRate, spec.cycleSeconds());
    }

    private List<float[]> positions(float[][] windows) {
        List<float[]> out = new ArrayList<>(joints.length);
        for (int j : joints) {
            out.add(windows[j]);
        }
        return out;
    }

    /** Every channel's first {@code seconds}. */
    private float[][] firstSeconds(float[][] windows, double seconds) {
        float[][] out = new float[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            int n = (int) Math.min(windows[i].length, Math.max(1, Math.round(seconds * spec.channels().get(i).sampleRateHz())));
            out[i] = java.util.Arrays.copyOf(windows[i], n);
        }
        return out;
    }

    private static double mean(float[] x) {
        return Moments.meanOf(x, 0, x.length);
    }

    /** Speed held within 2 % (and 60 rpm) over the window: orders and defect lines stay put. */
    private static boolean steadySpeed(float[] rpm, double mean) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : rpm) {
            if (v == v) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max || max - min <= 0.02 * Math.abs(mean) + 60;
    }

    private static double finiteOr0(float v) {
        return v == v ? v : 0;
    }

    private static boolean changed(float[] x) {
        for (int i = 1; i < x.length; i++) {
            if (x[i] != x[0] && x[i] == x[i]) {
                return true;
            }
        }
        return false;
    }

    private static String majority(float[] x) {
        Map<Float, Integer> counts = new HashMap<>();
        float best = Float.NaN;
        int bestCount = 0;
        for (float v : x) {
            if (v == v) {
                int n = counts.merge(v, 1, Integer::sum);
                if (n > bestCount) {
                    bestCount = n;
                    best = v;
                }
            }
        }
        if (best != best) {
            return "";
        }
        return best == Math.rint(best) ? String.valueOf((long) best) : String.format(Locale.ROOT, "%s", best);
    }
}
