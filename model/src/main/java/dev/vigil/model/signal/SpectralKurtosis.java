package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Spectral kurtosis from a short-time Fourier transform: near 0 for stationary noise and tones at every
 * frequency, large in the band where transient impacts (bearing defects, tooth damage) ring.
 */
public final class SpectralKurtosis {
    private final int frame;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double[] buffer;
    private final double[] s2;
    private final double[] s4;
    private final double[] sk;

    public SpectralKurtosis(int frame) {
        if (frame < 16 || Integer.bitCount(frame) != 1) {
            throw new IllegalArgumentException("frame must be a power of two >= 16, got " + frame);
        }
        this.frame = frame;
        this.fft = new DoubleFFT_1D(frame);
        this.window = new double[frame];
        for (int i = 0; i < frame; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame);
        }
        this.buffer = new double[frame];
        this.s2 = new double[frame / 2];
        this.s4 = new double[frame / 2];
        this.sk = new double[frame / 2];
    }

    public int frame() {
        return frame;
    }

    /** Spectral kurtosis per frame bin over non-overlapping frames of {@code x[from, to)}. */
    public double[] compute(float[] x, int from, int to, double mean) {
        java.util.Arrays.fill(s2, 0);
        java.util.Arrays.fill(s4, 0);
        int frames = 0;
        for (int start = from; start + frame <= to; start += frame) {
            Spectrum.windowed(x, start, mean, window, buffer);
            fft.realForward(buffer);
            for (int k = 1; k < frame / 2; k++) {
                double p = buffer[2 * k] * buffer[2 * k] + buffer[2 * k + 1] * buffer[2 * k + 1];
                s2[k] += p;
                s4[k] += p * p;
            }
            frames++;
        }
        for (int k = 1; k < frame / 2; k++) {
            double m2 = s2[k] / Math.max(1, frames);
            sk[k] = m2 > 0 ? (s4[k] / Math.max(1, frames)) / (m2 * m2) - 2 : 0;
        }
        return sk;
    }
}
