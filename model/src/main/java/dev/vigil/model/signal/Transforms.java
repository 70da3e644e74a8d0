package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FFT plans and Hann windows by size, made once and shared by every {@link Spectrum}, {@link Envelope} and
 * {@link SpectralKurtosis} built with the same instance. A plan's tables and a window are read-only once made
 * (JTransforms' power-of-two transforms only read their tables, and Vigil runs them single-threaded), so one copy
 * serves every machine and thread; a fleet of spindles with the same window sizes otherwise held a copy per
 * channel and machine (about 1.4 MB per spindle, docs/PERFORMANCE.md). Thread-safe.
 */
public final class Transforms {
    private final Map<Integer, DoubleFFT_1D> plans = new ConcurrentHashMap<>();
    private final Map<Integer, double[]> windows = new ConcurrentHashMap<>();

    /** The FFT plan for {@code size} points, a power of two (other sizes' plans keep per-call state). */
    DoubleFFT_1D plan(int size) {
        if (size < 1 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("shared FFT plans are for powers of two, got " + size);
        }
        return plans.computeIfAbsent(size, DoubleFFT_1D::new);
    }

    /** The periodic Hann window of {@code size} points, {@code 0.5 - 0.5 cos(2 pi i / size)}: read, never write. */
    double[] hann(int size) {
        return windows.computeIfAbsent(size, n -> {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            }
            return w;
        });
    }
}
