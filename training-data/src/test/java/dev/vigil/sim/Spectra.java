package dev.vigil.sim;

import org.jtransforms.fft.DoubleFFT_1D;

/** Test-side spectral analysis, written independently of the simulator so that it can check it. */
final class Spectra {
    private Spectra() {
    }

    /** Single-sided amplitude spectrum with a Hann window: a sine of amplitude A shows as about A. */
    static double[] amplitude(float[] x, int from, int n) {
        double[] buf = new double[2 * n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[from + i];
        }
        mean /= n;
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
            wsum += w;
            buf[i] = (x[from + i] - mean) * w;
        }
        new DoubleFFT_1D(n).realForwardFull(buf);
        double[] amp = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            amp[k] = 2 * Math.hypot(buf[2 * k], buf[2 * k + 1]) / wsum;
        }
        return amp;
    }

    /** Envelope spectrum: band-pass [lo, hi] Hz in the frequency domain, Hilbert envelope, then its spectrum. */
    static double[] envelope(float[] x, int from, int n, double rate, double lo, double hi) {
        double[] buf = new double[2 * n];
        for (int i = 0; i < n; i++) {
            buf[2 * i] = x[from + i];
        }
        DoubleFFT_1D fft = new DoubleFFT_1D(n);
        fft.complexForward(buf);
        for (int k = 0; k < n; k++) {
            double f = k * rate / n;
            // analytic signal: keep positive frequencies inside the band, doubled; zero the rest
            boolean keep = k > 0 && k < n / 2 && f >= lo && f <= hi;
            buf[2 * k] = keep ? 2 * buf[2 * k] : 0;
            buf[2 * k + 1] = keep ? 2 * buf[2 * k + 1] : 0;
        }
        fft.complexInverse(buf, true);
        float[] env = new float[n];
        for (int i = 0; i < n; i++) {
            env[i] = (float) Math.hypot(buf[2 * i], buf[2 * i + 1]);
        }
        return amplitude(env, 0, n);
    }

    static int bin(double hz, double rate, int n) {
        return (int) Math.round(hz * n / rate);
    }

    /** Largest value in [loHz, hiHz]. */
    static double peak(double[] spec, double rate, int n, double loHz, double hiHz) {
        double best = 0;
        for (int k = Math.max(1, bin(loHz, rate, n)); k <= Math.min(spec.length - 1, bin(hiHz, rate, n)); k++) {
            best = Math.max(best, spec[k]);
        }
        return best;
    }

    /** Frequency of the largest value in [loHz, hiHz]. */
    static double peakHz(double[] spec, double rate, int n, double loHz, double hiHz) {
        int best = -1;
        for (int k = Math.max(1, bin(loHz, rate, n)); k <= Math.min(spec.length - 1, bin(hiHz, rate, n)); k++) {
            if (best < 0 || spec[k] > spec[best]) {
                best = k;
            }
        }
        return best * rate / n;
    }

    /** Median of the spectrum over [loHz, hiHz]: the noise floor. */
    static double floor(double[] spec, double rate, int n, double loHz, double hiHz) {
        int a = Math.max(1, bin(loHz, rate, n));
        int b = Math.min(spec.length - 1, bin(hiHz, rate, n));
        double[] part = java.util.Arrays.copyOfRange(spec, a, b + 1);
        java.util.Arrays.sort(part);
        return part[part.length / 2];
    }
}
