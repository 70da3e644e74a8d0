package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Single-sided amplitude spectrum of a fixed-size window with a Hann taper, scaled so that a sine of
 * amplitude A reads A at its bin. One instance per thread: it reuses its buffers.
 */
public final class AmplitudeSpectrum {
    private final int size;
    private final double sampleRateHz;
    private final DoubleFFT_1D fft;
    private final double[] window;
    private final double windowSum;
    private final double[] buffer;

    public AmplitudeSpectrum(int size, double sampleRateHz) {
        if (size < 8 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("spectrum size must be a power of two >= 8, got " + size);
        }
        if (!(sampleRateHz > 0)) {
            throw new IllegalArgumentException("sample rate must be > 0, got " + sampleRateHz);
        }
        // JTransforms would otherwise start its own non-daemon pool; callers parallelise across windows instead
        ConcurrencyUtils.setNumberOfThreads(1);
        this.size = size;
        this.sampleRateHz = sampleRateHz;
        this.fft = new DoubleFFT_1D(size);
        this.window = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
            sum += window[i];
        }
        this.windowSum = sum;
        this.buffer = new double[size];
    }

    public int size() {
        return size;
    }

    public double binHz() {
        return sampleRateHz / size;
    }

    /**
     * Computes the spectrum of {@code samples[from, from + size)} after removing its mean.
     *
     * @return amplitudes for bins 0 .. size/2 - 1
     */
    public double[] compute(float[] samples, int from) {
        if (from < 0 || from + size > samples.length) {
            throw new IllegalArgumentException("window [" + from + ", " + (from + size) + ") outside " + samples.length
                    + " samples");
        }
        double mean = 0;
        for (int i = 0; i < size; i++) {
            mean += samples[from + i];
        }
        mean /= size;
        for (int i = 0; i < size; i++) {
            buffer[i] = (samples[from + i] - mean) * window[i];
        }
        fft.realForward(buffer);
        double[] amp = new double[size / 2];
        amp[0] = Math.abs(buffer[0]) / windowSum;
        for (int k = 1; k < size / 2; k++) {
            amp[k] = 2 * Math.hypot(buffer[2 * k], buffer[2 * k + 1]) / windowSum;
        }
        return amp;
    }
}
