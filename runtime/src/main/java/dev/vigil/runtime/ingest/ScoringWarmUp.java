package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.model.signal.Transforms;
import dev.vigil.runtime.score.MachineStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Scores synthetic windows through each distinct model before the service opens its ports, so that the JIT has
 * compiled the scoring path when the fleet connects. Without it a restart under full load is scored by the
 * interpreter while the compiler threads compete with it for the same cores: measured at 200-280 spindles on two
 * cores, the service then fell 1-7 s behind and took 10-60 s to catch up (docs/PERFORMANCE.md). The windows are
 * steady running of the model's own channel layout (a shaft line and noise on vibration, three-phase supply
 * current, moving joints); nothing is stored, alerted or counted in the service's metrics.
 */
public final class ScoringWarmUp {
    /** Seconds of data per frame, as gateways commonly send. */
    private static final double FRAME_SECONDS = 0.1;
    private final Transforms transforms;

    /** @param transforms the fleet's shared FFT plans (made here once, rather than on the first live window) */
    public ScoringWarmUp(Transforms transforms) {
        this.transforms = transforms;
    }

    /**
     * What was done.
     *
     * @param models distinct models warmed (one per model version)
     * @param windows windows assessed in all
     * @param scored of those, the windows the detector scored (not set aside as transient or a sensor problem):
     *               the path worth compiling
     * @param elapsed wall time taken
     */
    public record Result(int models, long windows, long scored, Duration elapsed) {
    }

    /**
     * Scores synthetic frames through a throwaway stream of each distinct waveform model among {@code machines}
     * for {@code budget} (shared among the models, each share counted from the model's first frames scored).
     * Tabular models are left alone: their rows are cheap.
     */
    public Result run(Collection<MachineStream> machines, Duration budget) throws Exception {
        Map<String, Model> distinct = new LinkedHashMap<>();
        for (MachineStream m : machines) {
            if (m.model().spec().isWaveform()) {
                distinct.putIfAbsent(m.modelVersion(), m.model());
            }
        }
        long t0 = System.nanoTime();
        long windows = 0;
        long scored = 0;
        if (budget.isZero() || budget.isNegative() || distinct.isEmpty()) {
            return new Result(0, 0, 0, Duration.ZERO);
        }
        long share = budget.toNanos() / distinct.size();
        FrameScoring scoring = FrameScoring.scoreOnly();
        for (Map.Entry<String, Model> e : distinct.entrySet()) {
            MachineStream stream = new MachineStream("warm-up", e.getValue(), e.getKey(), 0, 30, 0, transforms);
            Signals signals = new Signals(e.getValue(), System.currentTimeMillis() * 1_000_000L);
            // the model's share starts once its signals are made and its first frames went through: making the
            // signals and loading the detector's native code once are not the warming the budget is for (in a cold
            // process they took a whole 3 s share, and nothing reached the detector)
            long until = Long.MIN_VALUE;
            do {
                for (Assessment a : scoring.score(stream, signals.next(), "warm-up")) {
                    windows++;
                    scored += a.score() == a.score() ? 1 : 0;
                }
                if (until == Long.MIN_VALUE) {
                    until = System.nanoTime() + share;
                }
            } while (System.nanoTime() < until);
        }
        return new Result(distinct.size(), windows, scored, Duration.ofNanos(System.nanoTime() - t0));
    }

    /**
     * Steady running of one model's channel layout in the operating context it was trained in (a window in a
     * context it never saw is not scored, and would leave the detector cold), a frame of every channel at a time,
     * gap-free and in order: ten seconds made once, then sent again and again later in time (making them costs as
     * much as scoring them).
     */
    static final class Signals {
        private static final int FRAMES = 100;
        private final List<List<Frame>> loop = new ArrayList<>(FRAMES);
        /** Each frame's first sample, counted from the start, by frame and channel. */
        private final long[][] firsts = new long[FRAMES][];
        /** Samples of each channel in one loop. */
        private final long[] loopSamples;
        private final long startNanos;
        private long sent;

        Signals(Model model, long startNanos) {
            this.startNanos = startNanos;
            FeatureSpec spec = model.spec();
            Random random = new Random(7);
            List<ChannelUse> channels = spec.channels();
            double cycle = spec.cycleSeconds() > 0 ? spec.cycleSeconds() : 4;
            loopSamples = new long[channels.size()];
            for (int f = 0; f < FRAMES; f++) {
                loop.add(new ArrayList<>(channels.size()));
                firsts[f] = new long[channels.size()];
            }
            int phase = 0;
            int joint = 0;
            for (int c = 0; c < channels.size(); c++) {
                ChannelUse use = channels.get(c);
                double rate = use.sampleRateHz();
                loopSamples[c] = Math.round(FRAMES * FRAME_SECONDS * rate);
                int p = use.use().equals(ChannelUse.AC_CURRENT) ? phase++ : 0;
                int j = use.use().equals(ChannelUse.POSITION) ? joint++ : 0;
                double level = trained(model, use.name(), 20);
                // a sine's mean absolute speed is 4 amplitude / period: the joint moves as fast as in training
                double stroke = trained(model, use.name() + ".speed", 30) * cycle / 4;
                double centre = trained(model, use.name() + ".mean", 0);
                for (int f = 0; f < FRAMES; f++) {
                    // a frame ends where the next starts, whatever the rate: no gap, no overlap
                    long first = Math.round(f * FRAME_SECONDS * rate);
                    float[] x = new float[(int) (Math.round((f + 1) * FRAME_SECONDS * rate) - first)];
                    for (int i = 0; i < x.length; i++) {
                        double t = (first + i) / rate;
                        x[i] = (float) switch (use.use()) {
                            // a 30 Hz shaft, its third harmonic, broadband noise
                            case ChannelUse.VIBRATION -> Math.sin(2 * Math.PI * 30 * t)
                                    + 0.3 * Math.sin(2 * Math.PI * 90 * t) + 0.2 * random.nextGaussian();
                            case ChannelUse.AC_CURRENT -> 10 * Math.sin(2 * Math.PI * 50 * t + p * 2 * Math.PI / 3)
                                    + 0.1 * random.nextGaussian();
                            case ChannelUse.SERVO_CURRENT -> 2 * Math.sin(2 * Math.PI * t / cycle)
                                    + 0.05 * random.nextGaussian();
                            case ChannelUse.POSITION -> centre + stroke * Math.sin(2 * Math.PI * t / cycle + j);
                            case ChannelUse.TAG_CATEGORICAL -> category(model, use.name());
                            case ChannelUse.TAG_LEVEL -> level;
                            // steady: a speed or a tag that wanders by a thousandth
                            default -> level * (1 + 0.001 * random.nextGaussian());
                        };
                    }
                    firsts[f][c] = first;
                    loop.get(f).add(new Frame("warm-up", use.name(), startNanos, rate, x));
                }
            }
        }

        /** The training mean of a numeric context, or {@code otherwise} when the model has none by that name. */
        private static double trained(Model model, String context, double otherwise) {
            int i = model.numericContext().indexOf(context);
            double[] means = model.preprocessor().ctxMean();
            return i >= 0 && i < means.length && Double.isFinite(means[i]) ? means[i] : otherwise;
        }

        /** A code the model saw in training for a categorical tag (codes travel as numbers in frames). */
        private static double category(Model model, String tag) {
            int i = model.categoricalContext().indexOf(tag);
            List<List<String>> levels = model.preprocessor().levels();
            if (i >= 0 && i < levels.size()) {
                for (String level : levels.get(i)) {
                    try {
                        return Double.parseDouble(level);
                    } catch (NumberFormatException e) {
                        // a label that is not a code: try the next
                    }
                }
            }
            return 0;
        }

        /** The next frame of every channel. */
        List<Frame> next() {
            long round = sent / FRAMES;
            int f = (int) (sent++ % FRAMES);
            List<Frame> frames = loop.get(f);
            List<Frame> out = new ArrayList<>(frames.size());
            for (int c = 0; c < frames.size(); c++) {
                Frame x = frames.get(c);
                long first = round * loopSamples[c] + firsts[f][c];
                out.add(new Frame(x.machineId(), x.channel(), startNanos + Math.round(first * 1e9 / x.sampleRateHz()),
                        x.sampleRateHz(), x.samples()));
            }
            return out;
        }
    }
}
