package dev.vigil.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.Frame;
import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * One simulated machine over a span of its life.
 *
 * <p>Two clocks: <em>machine-life time</em>, in which faults have their onset and grow, and <em>recording
 * time</em>, in which the signals are sampled. With speed-up S, one second of recording covers S seconds of
 * machine life: a bearing that degrades over two hours can be recorded in two minutes at S = 60 while every
 * rotation, impact and mesh stays physically real. The operating program runs in recording time.
 *
 * <p>Deterministic: the same spec, faults, duration, speed-up, seed and start give identical samples.
 */
public final class Simulation {
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");
    static final String GENERATOR = "vigil-simulator 1";

    private final MachineSpec spec;
    private final List<FaultSpec> faults;
    private final double lifeDurationS;
    private final double speedup;
    private final long seed;
    private final Instant start;
    private final List<ChannelInfo> channels;
    private final GroundTruth truth;

    private Simulation(Builder b) {
        this.spec = b.spec;
        this.lifeDurationS = b.lifeDurationS;
        this.speedup = b.speedup;
        this.seed = b.seed;
        this.start = b.start;
        this.channels = newModel(List.of(), new SplittableRandom(0), new SplittableRandom(0)).channels();
        this.faults = List.copyOf(resolveFaults(b.faults));
        this.truth = new GroundTruth(faults, speedup, recordingSeconds(), spec.blockSeconds());
    }

    public static Builder builder(MachineSpec spec) {
        return new Builder(spec);
    }

    /** Validating builder. */
    public static final class Builder {
        private final MachineSpec spec;
        private final List<FaultSpec> faults = new ArrayList<>();
        private double lifeDurationS = 60;
        private double speedup = 1;
        private long seed = 1;
        private Instant start = DEFAULT_START;

        private Builder(MachineSpec spec) {
            if (spec == null) {
                throw new IllegalArgumentException("machine spec is required");
            }
            this.spec = spec;
        }

        public Builder fault(FaultSpec f) {
            faults.add(f);
            return this;
        }

        public Builder faults(List<FaultSpec> fs) {
            faults.addAll(fs);
            return this;
        }

        /** Machine-life span to cover, seconds; {@code Double.POSITIVE_INFINITY} for an endless stream. */
        public Builder lifeDurationS(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("duration must be > 0 seconds, got " + seconds);
            }
            this.lifeDurationS = seconds;
            return this;
        }

        public Builder speedup(double factor) {
            if (!(factor >= 1) || !Double.isFinite(factor)) {
                throw new IllegalArgumentException("speed-up must be a finite number >= 1, got " + factor);
            }
            this.speedup = factor;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder start(Instant t) {
            this.start = t;
            return this;
        }

        public Simulation build() {
            return new Simulation(this);
        }
    }

    private List<FaultSpec> resolveFaults(List<FaultSpec> requested) {
        List<FaultSpec> out = new ArrayList<>();
        for (FaultSpec f : requested) {
            if (!f.type().appliesTo(spec.kind())) {
                throw new IllegalArgumentException("fault " + f.type().id() + " does not apply to a " + spec.kind().id()
                        + " machine");
            }
            String channel = f.channel();
            int axis = f.axis();
            if (f.type().isSensorFault()) {
                if (channel == null) {
                    channel = channels.stream().filter(c -> c.role().equals(ChannelInfo.VIBRATION)).findFirst()
                            .orElseThrow().name();
                }
                String wanted = channel;
                ChannelInfo c = channels.stream().filter(ch -> ch.name().equals(wanted)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("fault " + f.type().id() + ": no channel '" + wanted
                                + "' (channels: " + channels.stream().map(ChannelInfo::name).toList() + ")"));
                if (c.role().equals(ChannelInfo.TAG)) {
                    throw new IllegalArgumentException("fault " + f.type().id() + ": channel '" + wanted
                            + "' is a controller tag, not a sensor");
                }
            }
            if (spec instanceof RobotSpec r && f.type().isJointFault()) {
                axis = axis == 0 ? 2 : axis;
                if (axis < 1 || axis > r.axes().size()) {
                    throw new IllegalArgumentException("fault " + f.type().id() + ": axis " + axis + " outside 1.."
                            + r.axes().size());
                }
            } else if (axis != 0 && !f.type().isSensorFault()) {
                throw new IllegalArgumentException("fault " + f.type().id() + " takes no axis");
            }
            out.add(new FaultSpec(f.type(), f.onsetS(), f.rampS(), f.progression(), f.maxSeverity(), channel, axis));
        }
        return out;
    }

    private MachineModel newModel(List<FaultSpec> fs, SplittableRandom machine, SplittableRandom rng) {
        if (spec instanceof CncSpec c) {
            return new CncModel(c, fs, machine, rng);
        }
        return new RobotModel((RobotSpec) spec, fs, machine, rng);
    }

    /**
     * The machine's own randomness (the phase of each shaft harmonic, how much its bearings slip) comes from
     * its id, not from the run's seed: two runs of one machine differ in noise and program, not in character.
     */
    private SplittableRandom machineRandom() {
        return new SplittableRandom(spec.id().hashCode() * 0x9E3779B97F4A7C15L);
    }

    public MachineSpec spec() {
        return spec;
    }

    public List<FaultSpec> faults() {
        return faults;
    }

    public List<ChannelInfo> channels() {
        return channels;
    }

    public double speedup() {
        return speedup;
    }

    public long seed() {
        return seed;
    }

    public Instant start() {
        return start;
    }

    public double lifeDurationS() {
        return lifeDurationS;
    }

    /** Length of the recording in seconds, rounded up to whole blocks (infinite for an endless stream). */
    public double recordingSeconds() {
        if (Double.isInfinite(lifeDurationS)) {
            return Double.POSITIVE_INFINITY;
        }
        return blockCount() * spec.blockSeconds();
    }

    /** Number of blocks, or Long.MAX_VALUE for an endless stream. */
    public long blockCount() {
        if (Double.isInfinite(lifeDurationS)) {
            return Long.MAX_VALUE;
        }
        return (long) Math.ceil(lifeDurationS / speedup / spec.blockSeconds() - 1e-9);
    }

    public GroundTruth groundTruth() {
        return truth;
    }

    /** A fresh pass over the simulation's blocks, from the start. */
    public Iterator<SimBlock> blocks() {
        return new Blocks();
    }

    /** A fresh pass over the simulation as per-channel frames, one per channel per block, in time order. */
    public Iterator<Frame> frames() {
        return new Frames(new Blocks());
    }

    /** Frames released at {@code speed} times real time (1 = as a live machine would produce them). */
    public Iterator<Frame> liveFrames(double speed, PacedFrames.Clock clock) {
        return new PacedFrames(frames(), speed, clock);
    }

    private final class Blocks implements Iterator<SimBlock> {
        private final MachineModel model;
        private final SensorFaults sensors;
        private final double[] severity = new double[faults.size()];
        private final int[] sizes;
        private long next;

        Blocks() {
            SplittableRandom rng = new SplittableRandom(seed);
            model = newModel(faults, machineRandom(), rng.split());
            sensors = new SensorFaults(faults, channels, model.adcs(), spec.blockSeconds(), rng.split());
            sizes = channels.stream().mapToInt(c -> c.samplesPer(spec.blockSeconds())).toArray();
        }

        @Override
        public boolean hasNext() {
            return next < blockCount();
        }

        @Override
        public SimBlock next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            double startS = next * spec.blockSeconds();
            double lifeMid = (startS + 0.5 * spec.blockSeconds()) * speedup;
            for (int i = 0; i < faults.size(); i++) {
                severity[i] = faults.get(i).severityAt(lifeMid);
            }
            float[][] out = new float[sizes.length][];
            for (int c = 0; c < sizes.length; c++) {
                out[c] = new float[sizes[c]];
            }
            model.fill(startS, severity, out);
            sensors.apply(severity, out);
            for (int c = 0; c < out.length; c++) {
                Adc adc = model.adcs().get(c);
                if (adc != null) {
                    adc.apply(out[c]);
                }
            }
            return new SimBlock(next++, startS, out);
        }
    }

    private final class Frames implements Iterator<Frame> {
        private final Iterator<SimBlock> blocks;
        private final long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        private final long blockNanos = Math.round(spec.blockSeconds() * 1e9);
        private SimBlock current;
        private int channel;

        Frames(Iterator<SimBlock> blocks) {
            this.blocks = blocks;
        }

        @Override
        public boolean hasNext() {
            return (current != null && channel < channels.size()) || blocks.hasNext();
        }

        @Override
        public Frame next() {
            if (current == null || channel >= channels.size()) {
                current = blocks.next();
                channel = 0;
            }
            ChannelInfo c = channels.get(channel);
            return new Frame(spec.id(), c.name(), startNanos + current.index() * blockNanos, c.sampleRateHz(),
                    current.samples()[channel++]);
        }
    }

    /** meta.json for this simulation (before sample counts are known). */
    public RecordingMeta recordingHeader() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode sim = mapper.createObjectNode();
        sim.put("generator", GENERATOR);
        sim.put("seed", seed);
        sim.put("speedup", speedup);
        sim.put("lifeDurationS", lifeDurationS);
        sim.set("faults", mapper.valueToTree(faults));
        sim.set("spec", mapper.valueToTree(spec));
        List<ChannelMeta> chans = channels.stream().map(c -> new ChannelMeta(c.name(), c.unit(), c.sampleRateHz(),
                c.position(), c.role(), c.name() + ".f32", 0, null)).toList();
        BearingGeometry bearing = spec instanceof CncSpec c ? c.bearing() : null;
        return new RecordingMeta(RecordingMeta.FORMAT_VERSION, spec.id(), spec.kind().id(), start, chans, bearing, sim);
    }

    /**
     * Writes the whole simulation as a waveform recording, streaming block by block.
     *
     * @param progress receives the number of blocks written so far
     */
    public RecordingMeta writeRecording(Path dir, LongConsumer progress) throws IOException {
        if (Double.isInfinite(lifeDurationS)) {
            throw new IllegalStateException("an endless simulation cannot be written to a file");
        }
        try (RecordingWriter w = RecordingWriter.create(dir, recordingHeader())) {
            Iterator<SimBlock> it = blocks();
            while (it.hasNext()) {
                SimBlock b = it.next();
                for (int c = 0; c < b.samples().length; c++) {
                    w.append(c, b.samples()[c]);
                }
                progress.accept(b.index() + 1);
            }
            return w.finish(truth.labels());
        }
    }
}
