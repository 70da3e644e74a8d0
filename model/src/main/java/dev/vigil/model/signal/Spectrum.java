package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * The Hann-windowed FFT of one window, kept so that several features (amplitude lines, band energies,
 * velocity, envelope) share one transform. Amplitudes are scaled so that a sine of amplitude A reads A.
 * Not thread-safe: one instance per thread, reused across windows.
 */
public final class Spectrum {
    /** Equivalent noise bandwidth of the Hann window in bins: band energies from amplitude spectra divide by it. */
    static final double HANN_ENBW = 1.5;

    private final int size;
    private final double sampleRateHz;
    private final Transforms shared;
    private final DoubleFFT_1D fft;
    /** Shared with other spectra of this size: read only. */
    private final double[] window;
    private final double windowSum;
    private final double[] complex;
    private final double[] amplitude;
    private float[] loop;
    private double[] power;

    /** A spectrum with its own plan and window (a one-off: dashboards, reports, tests). */
    public Spectrum(int size, double sampleRateHz) {
        this(size, sampleRateHz, new Transforms());
    }

    /** @param shared where the plan and the window come from, shared with every spectrum built with it */
    public Spectrum(int size, double sampleRateHz, Transforms shared) {
        if (size < 8 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("spectrum size must be a power of two >= 8, got " + size);
        }
        if (!(sampleRateHz > 0)) {
            throw new IllegalArgumentException("sample rate must be > 0, got " + sampleRateHz);
        }
        // JTransforms would otherwise start a pool of non-daemon threads; Vigil parallelises across windows instead
        ConcurrencyUtils.setNumberOfThreads(1);
        this.size = size;
        this.sampleRateHz = sampleRateHz;
        this.shared = shared;
        this.fft = shared.plan(size);
        this.window = shared.hann(size);
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += window[i];
        }
        this.windowSum = sum;
        this.complex = new double[size];
        this.amplitude = new double[size / 2];
    }

    /** Where this spectrum's plan and window came from (an envelope of it takes its own from there too). */
    Transforms shared() {
        return shared;
    }

    public int size() {
        return size;
    }

    public double sampleRateHz() {
        return sampleRateHz;
    }

    public double binHz() {
        return sampleRateHz / size;
    }

    /** Transforms {@code x[from, from + size)} after removing {@code mean}; NaN samples count as the mean. */
    public Spectrum compute(float[] x, int from, double mean) {
        transform(x, from, mean);
        double scale = 2 / windowSum;
        amplitude[0] = 0;
        for (int k = 1; k < size / 2; k++) {
            // not Math.hypot: its overflow-safe path cost a third of all feature time, and spectra of signals in
            // g or A are nowhere near overflow
            double re = complex[2 * k];
            double im = complex[2 * k + 1];
            amplitude[k] = scale * Math.sqrt(re * re + im * im);
        }
        return this;
    }

    /** The windowed, mean-removed segment's FFT into {@code complex}. */
    private void transform(float[] x, int from, double mean) {
        windowedTransform(fft, x, from, mean, window, complex);
    }

    /**
     * The FFT of {@code (x[from + i] - mean) * window[i]} over the window's length into {@code out}, a NaN sample
     * counting as the mean. This sees every sample of every window, so the product is one plain loop the compiler
     * vectorises (a check for NaN inside made it five times slower). A missing sample is found afterwards: bin 0
     * sums every product, so it is finite unless some sample is NaN or infinite; only then are the products
     * taken again with NaN mended, and transformed again.
     */
    static void windowedTransform(DoubleFFT_1D fft, float[] x, int from, double mean, double[] window,
                                  double[] out) {
        for (int i = 0; i < window.length; i++) {
            out[i] = (x[from + i] - mean) * window[i];
        }
        fft.realForward(out);
        if (!Double.isFinite(out[0])) {
            for (int i = 0; i < window.length; i++) {
                float v = x[from + i];
                out[i] = v == v ? (v - mean) * window[i] : 0;
            }
            fft.realForward(out);
        }
    }

    /** Adds the segment's squared amplitudes (as {@link #compute} would read them) to {@code power}. */
    private void addPower(float[] x, int from, double mean, double[] power) {
        transform(x, from, mean);
        double scale = 2 / windowSum;
        double scale2 = scale * scale;
        for (int k = 1; k < size / 2; k++) {
            double re = complex[2 * k];
            double im = complex[2 * k + 1];
            power[k] += scale2 * (re * re + im * im);
        }
    }

    /**
     * Welch's estimate over all of {@code x[from, from + length)}: the power of Hann-windowed segments, half
     * overlapping and spread evenly from the first sample to the last, averaged; amplitudes read as after
     * {@link #compute} (a sine of amplitude A reads A). Every part of the range weighs about the same, so
     * band energies do not depend on where in the range something happened (a robot's move at the start or at
     * the end of a window). The complex bins are the last segment's.
     */
    public Spectrum computeAveraged(float[] x, int from, int length, double mean) {
        if (length <= size) {
            return compute(x, from + length - size, mean);
        }
        int segments = 2 * (int) Math.ceil((double) length / size) - 1;
        double step = (double) (length - size) / (segments - 1);
        double[] power = powerBuffer();
        for (int s = 0; s < segments; s++) {
            addPower(x, from + (int) Math.round(s * step), mean, power);
        }
        return averaged(power, segments);
    }

    /**
     * Welch's estimate over {@code x[0, length)} taken as one turn of a loop (a motion cycle: its end meets its
     * start): segments half overlapping or closer, spread evenly around the loop and wrapping past its end, so
     * that every sample weighs about the same and the estimate does not depend on where in the cycle {@code x}
     * starts.
     */
    public Spectrum computeCyclic(float[] x, int length, double mean) {
        if (length < size) {
            return computeAveraged(x, 0, length, mean);
        }
        if (loop == null) {
            loop = new float[size];
        }
        int segments = (int) Math.ceil(2.0 * length / size);
        double[] power = powerBuffer();
        for (int s = 0; s < segments; s++) {
            int start = (int) Math.round((double) s * length / segments);
            int head = Math.min(size, length - start);
            if (head == size) {
                addPower(x, start, mean, power);
            } else {
                System.arraycopy(x, start, loop, 0, head);
                System.arraycopy(x, 0, loop, head, size - head);
                addPower(loop, 0, mean, power);
            }
        }
        return averaged(power, segments);
    }

    private double[] powerBuffer() {
        if (power == null) {
            power = new double[size / 2];
        }
        java.util.Arrays.fill(power, 0);
        return power;
    }

    private Spectrum averaged(double[] power, int segments) {
        amplitude[0] = 0;
        for (int k = 1; k < size / 2; k++) {
            amplitude[k] = Math.sqrt(power[k] / segments);
        }
        return this;
    }

    /** Amplitude per bin (bin k is k * binHz()); valid after {@link #compute}. Do not modify. */
    public double[] amplitudes() {
        return amplitude;
    }

    /** Real and imaginary parts of bin k (1 <= k < size/2), in JTransforms' packed layout, unscaled. */
    double re(int k) {
        return complex[2 * k];
    }

    double im(int k) {
        return complex[2 * k + 1];
    }

    double unscale() {
        return 2 / windowSum;
    }

    public int bin(double hz) {
        return (int) Math.round(hz / binHz());
    }

    /** Largest amplitude in [loHz, hiHz] (at least the nearest bin). */
    public double peak(double loHz, double hiHz) {
        int a = Math.max(1, (int) Math.floor(loHz / binHz()));
        int b = Math.min(size / 2 - 1, (int) Math.ceil(hiHz / binHz()));
        double best = 0;
        for (int k = a; k <= b; k++) {
            best = Math.max(best, amplitude[k]);
        }
        return best;
    }

    /**
     * How far a spectral line stands out: the peak within {@code hz +/- tolHz} minus the median of the
     * neighbouring bins (3 to 15 bins either side). Broadband energy (impacts ringing, noise) raises the floor
     * and the peak alike, so it does not count as a line.
     */
    public double lineProminence(double hz, double tolHz) {
        double peak = peak(hz - tolHz, hz + tolHz);
        int c = bin(hz);
        int w = Math.max(0, (int) Math.ceil(tolHz / binHz()));
        double[] around = new double[26];
        int n = 0;
        for (int d = 3 + w; d <= 15 + w && n < around.length - 1; d++) {
            if (c - d >= 1) {
                around[n++] = amplitude[c - d];
            }
            if (c + d < size / 2 && n < around.length) {
                around[n++] = amplitude[c + d];
            }
        }
        if (n == 0) {
            return peak;
        }
        java.util.Arrays.sort(around, 0, n);
        double floor = around[n / 2];
        return Math.max(0, peak - floor);
    }

    /** Frequency of the largest amplitude in [loHz, hiHz]. */
    public double peakHz(double loHz, double hiHz) {
        int a = Math.max(1, (int) Math.floor(loHz / binHz()));
        int b = Math.min(size / 2 - 1, (int) Math.ceil(hiHz / binHz()));
        int best = a;
        for (int k = a; k <= b; k++) {
            if (amplitude[k] > amplitude[best]) {
                best = k;
            }
        }
        return best * binHz();
    }

    /** Signal energy (mean square) in [loHz, hiHz), corrected for the window's noise bandwidth. */
    public double bandEnergy(double loHz, double hiHz) {
        int a = Math.max(1, (int) Math.ceil(loHz / binHz()));
        int b = Math.min(size / 2 - 1, (int) Math.floor(hiHz / binHz()));
        double e = 0;
        for (int k = a; k <= b; k++) {
            e += amplitude[k] * amplitude[k];
        }
        return e / 2 / HANN_ENBW;
    }

    /**
     * Energy in [loHz, hiHz) that is not synchronous with the shaft: bins within {@code toleranceBins} (plus
     * 0.3 % of the frequency) of any multiple of {@code spacingHz} are left out. With spacing = half the shaft
     * rate this removes every order and half order (imbalance, misalignment, looseness, tooth pass), whose
     * positions move with speed, and keeps broadband content such as a chatter band or friction noise.
     */
    public double nonSynchronousBandEnergy(double loHz, double hiHz, double spacingHz, double toleranceBins) {
        int a = Math.max(1, (int) Math.ceil(loHz / binHz()));
        int b = Math.min(size / 2 - 1, (int) Math.floor(hiHz / binHz()));
        double bin = binHz();
        double tolerance = toleranceBins * bin;
        double e = 0;
        // this runs for every bin of every band of every window: no Math.min (whose NaN and -0.0 handling is a
        // slow path; the offsets here are neither). The remainder stays Java's %: an exact remainder by a
        // multiply-add needs a correction that is almost never taken, and when it was, the JIT threw away the
        // compiled feature code around it (a deoptimisation, seen in a profile while the service stalled)
        for (int k = a; k <= b; k++) {
            double f = k * bin;
            double offset = f % spacingHz;
            double back = spacingHz - offset;
            double distance = offset < back ? offset : back;
            if (distance <= tolerance + 0.003 * f) {
                continue;
            }
            e += amplitude[k] * amplitude[k];
        }
        return e / 2 / HANN_ENBW;
    }

    /**
     * RMS velocity in mm/s over [loHz, hiHz] of an acceleration spectrum in g, integrated in the frequency
     * domain (v = a / 2 pi f): the ISO 10816/20816 broadband severity when the band is 10-1000 Hz.
     */
    public double velocityRmsMmPerS(double loHz, double hiHz) {
        int a = Math.max(1, (int) Math.ceil(loHz / binHz()));
        int b = Math.min(size / 2 - 1, (int) Math.floor(hiHz / binHz()));
        double e = 0;
        for (int k = a; k <= b; k++) {
            double v = amplitude[k] * 9.80665 / (2 * Math.PI * k * binHz()) * 1000;
            e += v * v;
        }
        return Math.sqrt(e / 2 / HANN_ENBW);
    }
}
