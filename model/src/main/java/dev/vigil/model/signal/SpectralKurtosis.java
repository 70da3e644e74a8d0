package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;

/**
 * Spectral kurtosis from a short-time Fourier transform: near 0 for stationary noise and tones at every
 * frequency, large in the band where transient impacts (bearing defects, tooth damage) ring.
 */
public final class SpectralKurtosis {
    /** The position of a window's first sample when it is not known: nothing is reused. */
    public static final long NO_POSITION = Long.MIN_VALUE;

    private final int frame;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] buffer;
    private final double[] s2;
    private final double[] s4;
    private final double[] sk;
    /** The window's transform: its mean times it is what removing the mean takes off a frame's bins. */
    private final double[] windowBins;
    private Frames seen;
    private long reused;

    public SpectralKurtosis(int frame) {
        this(frame, new Transforms());
    }

    /** @param shared where the plan and the window come from, shared with every transform built with it */
    public SpectralKurtosis(int frame, Transforms shared) {
        if (frame < 16 || Integer.bitCount(frame) != 1) {
            throw new IllegalArgumentException("frame must be a power of two >= 16, got " + frame);
        }
        this.frame = frame;
        this.fft = shared.plan(frame);
        this.window = shared.hann(frame);
        this.buffer = new double[frame];
        this.s2 = new double[frame / 2];
        this.s4 = new double[frame / 2];
        this.sk = new double[frame / 2];
        this.windowBins = window.clone();
        fft.realForward(windowBins);
    }

    public int frame() {
        return frame;
    }

    /** Spectral kurtosis per frame bin over non-overlapping frames of {@code x[from, to)}. */
    public double[] compute(float[] x, int from, int to, double mean) {
        return compute(x, from, to, mean, NO_POSITION);
    }

    /**
     * As {@link #compute(float[], int, int, double)}, reusing the frames an earlier window of the same stream
     * transformed: {@code position} is the stream position of {@code x[from]}. A robot's windows overlap by half
     * and start on a grid that is a whole number of frames, so half of every window's frames were seen before.
     * A frame is reused only where its samples are the same as when it was transformed (a gap or a moved grid
     * just transforms it again), and the mean is taken off its bins afterwards (the transform is linear), so the
     * result is the one without reuse up to rounding. No NaN in {@code x[from, to)} with a position.
     */
    public double[] compute(float[] x, int from, int to, double mean, long position) {
        Arrays.fill(s2, 0);
        Arrays.fill(s4, 0);
        if (position != NO_POSITION && seen == null) {
            seen = new Frames(frame, (to - from) / frame);
        }
        int frames = 0;
        for (int start = from; start + frame <= to; start += frame) {
            if (position == NO_POSITION) {
                Spectrum.windowedTransform(fft, x, start, mean, window, buffer);
                for (int k = 1; k < frame / 2; k++) {
                    double p = buffer[2 * k] * buffer[2 * k] + buffer[2 * k + 1] * buffer[2 * k + 1];
                    s2[k] += p;
                    s4[k] += p * p;
                }
            } else {
                addReused(x, start, mean, position + (start - from));
            }
            frames++;
        }
        for (int k = 1; k < frame / 2; k++) {
            double m2 = s2[k] / Math.max(1, frames);
            sk[k] = m2 > 0 ? (s4[k] / Math.max(1, frames)) / (m2 * m2) - 2 : 0;
        }
        return sk;
    }

    /** Frames taken from an earlier window so far. */
    long reused() {
        return reused;
    }

    /** One frame's powers into the sums, from the frame store or transformed (without the mean) and stored. */
    private void addReused(float[] x, int start, double mean, long at) {
        int slot = seen.find(x, start, at);
        if (slot < 0) {
            slot = seen.put(x, start, at);
            Spectrum.windowedTransform(fft, x, start, 0, window, buffer);
            double[] power = seen.power[slot];
            for (int k = 2; k < frame / 2; k++) {
                power[k] = buffer[2 * k] * buffer[2 * k] + buffer[2 * k + 1] * buffer[2 * k + 1];
            }
            power[0] = buffer[2];
            power[1] = buffer[3];
        } else {
            reused++;
        }
        double[] power = seen.power[slot];
        // bin 1 holds the frame's mean through the window (a Hann window's transform is zero past bin 1): take it
        // off there; power[0..1] keep bin 1's parts
        double re = power[0] - mean * windowBins[2];
        double im = power[1] - mean * windowBins[3];
        double p1 = re * re + im * im;
        s2[1] += p1;
        s4[1] += p1 * p1;
        for (int k = 2; k < frame / 2; k++) {
            double p = power[k];
            s2[k] += p;
            s4[k] += p * p;
        }
    }

    /**
     * Frames transformed in earlier windows, one slot per frame position (direct-mapped, more slots than a window
     * has frames, so a window's own frames do not evict each other), each with a copy of its samples to check
     * reuse by.
     */
    private static final class Frames {
        final int frame;
        final long[] at;
        final float[][] samples;
        final double[][] power;

        Frames(int frame, int perWindow) {
            int slots = Integer.highestOneBit(Math.max(1, perWindow)) * 2;
            this.frame = frame;
            this.at = new long[slots];
            Arrays.fill(at, NO_POSITION);
            this.samples = new float[slots][frame];
            this.power = new double[slots][frame / 2];
        }

        private int slot(long position) {
            return (int) Math.floorMod(Math.floorDiv(position, frame), (long) at.length);
        }

        int find(float[] x, int start, long position) {
            int s = slot(position);
            return at[s] == position && Arrays.equals(samples[s], 0, frame, x, start, start + frame) ? s : -1;
        }

        int put(float[] x, int start, long position) {
            int s = slot(position);
            at[s] = position;
            System.arraycopy(x, start, samples[s], 0, frame);
            return s;
        }
    }
}
