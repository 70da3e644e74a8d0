package dev.vigil.model.signal;

/**
 * Time-domain statistics of a window, from two passes over the samples. NaN samples are skipped and counted.
 *
 * @param count finite samples used
 * @param missing NaN samples skipped
 * @param mean mean value
 * @param rms root mean square about the mean (AC RMS: accelerometers and currents are AC signals)
 * @param peak largest absolute deviation from the mean
 * @param skewness third standardised moment
 * @param kurtosis fourth standardised moment (3 for Gaussian noise, large for impacts)
 * @param min smallest sample
 * @param max largest sample
 * @param atMin samples equal to {@code min} (a clipped signal sits on its rails; a sound one touches them rarely)
 * @param atMax samples equal to {@code max}
 */
public record Moments(int count, int missing, double mean, double rms, double peak, double skewness, double kurtosis,
                      float min, float max, int atMin, int atMax) {

    public double crestFactor() {
        return rms > 0 ? peak / rms : 0;
    }

    public static Moments of(float[] x, int from, int to) {
        // these passes run over every sample of every window: two accumulators per sum, even and odd samples
        int n = 0;
        double sumA = 0;
        double sumB = 0;
        // comparisons, not Math.min/max, whose NaN and -0.0 handling is a slow path (NaN is skipped anyway)
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int atMin = 0;
        int atMax = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v != v) {
                continue;
            }
            n++;
            // alternate accumulators: each floating-point sum is a chain the CPU cannot overlap with itself
            if ((i & 1) == 0) {
                sumA += v;
            } else {
                sumB += v;
            }
            if (v < min) {
                min = v;
                atMin = 1;
            } else if (v == min) {
                atMin++;
            }
            if (v > max) {
                max = v;
                atMax = 1;
            } else if (v == max) {
                atMax++;
            }
        }
        int missing = (to - from) - n;
        if (n == 0) {
            return new Moments(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Float.NaN, Float.NaN, 0, 0);
        }
        double mean = (sumA + sumB) / n;
        double m2a = 0;
        double m3a = 0;
        double m4a = 0;
        double m2b = 0;
        double m3b = 0;
        double m4b = 0;
        double peak = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            float a = x[i];
            float b = x[i + 1];
            if (a == a) {
                double d = a - mean;
                double d2 = d * d;
                m2a += d2;
                m3a += d2 * d;
                m4a += d2 * d2;
                double abs = Math.abs(d);
                peak = abs > peak ? abs : peak;
            }
            if (b == b) {
                double d = b - mean;
                double d2 = d * d;
                m2b += d2;
                m3b += d2 * d;
                m4b += d2 * d2;
                double abs = Math.abs(d);
                peak = abs > peak ? abs : peak;
            }
        }
        if (i < to && x[i] == x[i]) {
            double d = x[i] - mean;
            double d2 = d * d;
            m2a += d2;
            m3a += d2 * d;
            m4a += d2 * d2;
            peak = Math.max(peak, Math.abs(d));
        }
        double m2 = (m2a + m2b) / n;
        double m3 = (m3a + m3b) / n;
        double m4 = (m4a + m4b) / n;
        double sd = Math.sqrt(m2);
        double skew = m2 > 0 ? m3 / (m2 * sd) : 0;
        double kurt = m2 > 0 ? m4 / (m2 * m2) : 0;
        return new Moments(n, missing, mean, sd, peak, skew, kurt, min, max, atMin, atMax);
    }
}
