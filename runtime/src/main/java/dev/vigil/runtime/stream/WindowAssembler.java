package dev.vigil.runtime.stream;

import dev.vigil.domain.Frame;
import dev.vigil.model.feature.FeatureSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reassembles one machine's frames into the model's windows (same length, hop and channels as training). Each
 * channel is placed on a sample grid anchored at a multiple of the hop in epoch time, so frames may arrive in any order
 * within the tolerance, duplicates simply overwrite themselves, and samples that never arrive stay NaN (the
 * window is then reported as a sensor dropout, not scored). Memory is bounded: a channel may run at most
 * {@code maxAheadSeconds} ahead of the oldest open window; when every channel stopped (the gateway paused) and data
 * resumes further ahead than that, the incomplete windows are dropped and assembly restarts at the new data. Not
 * thread-safe: one instance per machine, fed from one thread.
 */
public final class WindowAssembler {

    /** One complete window: {@code channels[i]} holds the spec's channel i. */
    public record Window(long index, long startNanos, float[][] channels) {
    }

    private final String machineId;
    private final FeatureSpec spec;
    private final double toleranceSeconds;
    private final double maxAheadSeconds;
    private final Map<String, Integer> index = new HashMap<>();
    private final ChannelBuffer[] buffers;
    private final long phaseNanos;
    private long originNanos = Long.MIN_VALUE;
    private long nextWindow;
    private long ignoredFrames;

    public WindowAssembler(String machineId, FeatureSpec spec, double toleranceSeconds, double maxAheadSeconds) {
        this(machineId, spec, toleranceSeconds, maxAheadSeconds, 0);
    }

    /**
     * @param phase where in the hop this machine's windows start, as a fraction 0..1 of it: spreading machines
     *              over the hop spreads their scoring over time instead of every window of the fleet ending
     *              at the same instant
     */
    public WindowAssembler(String machineId, FeatureSpec spec, double toleranceSeconds, double maxAheadSeconds,
                           double phase) {
        if (!spec.isWaveform()) {
            throw new IllegalArgumentException("machine " + machineId + ": a window assembler needs a waveform model");
        }
        this.machineId = machineId;
        this.spec = spec;
        this.toleranceSeconds = toleranceSeconds;
        this.maxAheadSeconds = Math.max(maxAheadSeconds, 2 * spec.windowSeconds());
        this.phaseNanos = Math.round(((phase % 1 + 1) % 1) * spec.hopSeconds() * 1e9);
        List<FeatureSpec.ChannelUse> chans = spec.channels();
        buffers = new ChannelBuffer[chans.size()];
        for (int i = 0; i < chans.size(); i++) {
            FeatureSpec.ChannelUse c = chans.get(i);
            index.put(c.name(), i);
            buffers[i] = new ChannelBuffer(c.name(), c.sampleRateHz(), (int) Math.round(c.sampleRateHz() * spec.windowSeconds()),
                    (int) Math.round(c.sampleRateHz() * spec.hopSeconds()),
                    (int) Math.ceil(c.sampleRateHz() * (this.maxAheadSeconds + spec.windowSeconds())));
        }
    }

    /** Frames for channels the model does not use (accepted and dropped). */
    public long ignoredFrames() {
        return ignoredFrames;
    }

    /** Places a frame and returns the windows it completed, oldest first. */
    public List<Window> accept(Frame f) throws FrameException {
        if (!f.machineId().equals(machineId)) {
            throw new FrameException("frame for machine '" + f.machineId() + "' sent to '" + machineId + "'");
        }
        Integer i = index.get(f.channel());
        if (i == null) {
            ignoredFrames++;
            return List.of();
        }
        ChannelBuffer b = buffers[i];
        if (f.sampleRateHz() != b.rate) {
            throw new FrameException(String.format(Locale.ROOT, "channel '%s' of machine '%s' is sampled at %s Hz in this "
                    + "frame, the model expects %s Hz", f.channel(), machineId, f.sampleRateHz(), b.rate));
        }
        if (originNanos == Long.MIN_VALUE) {
            // windows sit on a wall-clock grid of hops (shifted by the machine's phase), whichever frame arrives first
            long hop = Math.round(spec.hopSeconds() * 1e9);
            originNanos = Math.floorDiv(f.startNanos() - phaseNanos, hop) * hop + phaseNanos;
        }
        long first = Math.round((f.startNanos() - (double) originNanos) * b.rate / 1e9);
        if (first + f.samples().length - b.base > b.capacity && paused()) {
            resumeAt(f.startNanos());
        }
        b.write(first, f.samples(), nextWindow, toleranceSeconds, maxAheadSeconds);
        List<Window> done = new ArrayList<>();
        while (complete(nextWindow)) {
            float[][] w = new float[buffers.length][];
            for (int c = 0; c < buffers.length; c++) {
                w[c] = buffers[c].window(nextWindow);
            }
            long start = originNanos + Math.round(nextWindow * spec.hopSeconds() * 1e9);
            done.add(new Window(nextWindow, start, w));
            nextWindow++;
            for (ChannelBuffer c : buffers) {
                c.release(nextWindow);
            }
        }
        return done;
    }

    /**
     * Whether the whole machine stopped sending: no channel has data past the open window (with the tolerance).
     * A frame far ahead then means the stream resumed after a pause (a gateway reconnecting), not that one
     * channel died while the others ran on.
     */
    private boolean paused() {
        for (ChannelBuffer c : buffers) {
            if (c.end >= c.windowEnd(nextWindow) + Math.round(toleranceSeconds * c.rate)) {
                return false;
            }
        }
        return true;
    }

    /** Drops the windows the pause left incomplete and starts again at the first window after {@code startNanos}. */
    private void resumeAt(long startNanos) {
        long hop = Math.round(spec.hopSeconds() * 1e9);
        nextWindow = Math.max(nextWindow, Math.floorDiv(startNanos - originNanos + hop - 1, hop));
        for (ChannelBuffer c : buffers) {
            c.restartAt(c.windowStart(nextWindow));
        }
    }

    private boolean complete(long k) {
        for (ChannelBuffer b : buffers) {
            if (b.end < b.windowEnd(k) + Math.round(toleranceSeconds * b.rate)) {
                return false;
            }
        }
        return true;
    }

    /** Samples of one channel on its grid, from {@code base} on, in a ring; NaN where nothing arrived. */
    private static final class ChannelBuffer {
        final String name;
        final double rate;
        final int windowSamples;
        final int hopSamples;
        /** How many samples the ring holds. */
        final int capacity;
        /**
         * Made with the first samples written: a machine configured on every instance of a cluster but scored on
         * one holds its rings (most of its memory) only there.
         */
        private float[] ring;
        long base;  // oldest grid index still held
        long end;   // one past the highest grid index written
        // where the last frames written began and how long they were: a gateway that sends a frame again (its
        // answer was lost, or the service asked for it again after a failed commit) is told "taken", not "late"
        final long[] recentFirst = new long[64];
        final int[] recentLength = new int[64];
        int recentNext;

        ChannelBuffer(String name, double rate, int windowSamples, int hopSamples, int capacity) {
            this.name = name;
            this.rate = rate;
            this.windowSamples = windowSamples;
            this.hopSamples = hopSamples;
            this.capacity = Math.max(capacity, windowSamples + 1);
        }

        private float[] ring() {
            if (ring == null) {
                ring = new float[capacity];
                Arrays.fill(ring, Float.NaN);
            }
            return ring;
        }

        long windowStart(long k) {
            return k * hopSamples;
        }

        long windowEnd(long k) {
            return windowStart(k) + windowSamples;
        }

        private int slot(long g) {
            return (int) Math.floorMod(g, (long) capacity);
        }

        // the ring is read and written in at most two runs, split where it wraps: one modulo per frame or window,
        // not one per sample (a modulo per sample was a fifth of the service's CPU at 150 machines, by JFR)

        /** Writes {@code n} samples of {@code src} from {@code off} into the ring at grid index {@code g} on. */
        private void toRing(long g, float[] src, int off, int n) {
            float[] r = ring();
            int s = slot(g);
            int first = Math.min(n, capacity - s);
            System.arraycopy(src, off, r, s, first);
            System.arraycopy(src, off + first, r, 0, n - first);
        }

        /** Reads {@code dst.length} samples from the ring at grid index {@code g} on. */
        private void fromRing(long g, float[] dst) {
            float[] r = ring();
            int s = slot(g);
            int first = Math.min(dst.length, capacity - s);
            System.arraycopy(r, s, dst, 0, first);
            System.arraycopy(r, 0, dst, first, dst.length - first);
        }

        /** Marks {@code n} grid indices from {@code g} on as empty (NaN); more than the ring holds empties it all. */
        private void clearRing(long g, long n) {
            if (ring == null) {
                return; // nothing written yet: empty already
            }
            int len = (int) Math.min(n, capacity);
            int s = slot(g);
            int first = Math.min(len, capacity - s);
            Arrays.fill(ring, s, s + first, Float.NaN);
            Arrays.fill(ring, 0, len - first, Float.NaN);
        }

        void write(long first, float[] samples, long openWindow, double tolerance, double maxAhead) throws FrameException {
            long last = first + samples.length;
            if (last <= base) {
                double late = (base - last) / rate;
                if (late <= tolerance || sentBefore(first, samples.length)) {
                    // a repeat of data already used (or a straggler within the tolerance): nothing left to do
                    return;
                }
                throw new FrameException(String.format(Locale.ROOT, "channel '%s': frame is late by %.3f s (its window "
                        + "was already scored; tolerance %.3f s)", name, late, tolerance));
            }
            if (last - base > capacity) {
                throw new FrameException(String.format(Locale.ROOT, "channel '%s' runs %.1f s ahead of the oldest open "
                        + "window (limit %.1f s): another channel of this machine has stopped; slow down", name,
                        (last - base) / rate, maxAhead));
            }
            int from = (int) Math.max(0, base - first);
            toRing(first + from, samples, from, samples.length - from);
            end = Math.max(end, last);
            recentFirst[recentNext] = first;
            recentLength[recentNext] = samples.length;
            recentNext = (recentNext + 1) % recentFirst.length;
        }

        private boolean sentBefore(long first, int length) {
            for (int k = 0; k < recentFirst.length; k++) {
                if (recentFirst[k] == first && recentLength[k] == length && length > 0) {
                    return true;
                }
            }
            return false;
        }

        void restartAt(long grid) {
            Arrays.fill(ring, Float.NaN);
            base = grid;
            end = grid;
        }

        float[] window(long k) {
            float[] out = new float[windowSamples];
            fromRing(windowStart(k), out);
            return out;
        }

        /** Forgets samples no later window needs (they read as NaN again when the ring comes round). */
        void release(long nextWindow) {
            long keep = windowStart(nextWindow);
            if (keep > base) {
                clearRing(base, keep - base);
            }
            base = Math.max(base, keep);
        }
    }
}
