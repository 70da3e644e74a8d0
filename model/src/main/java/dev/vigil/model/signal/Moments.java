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
        int n = 0;
        double sum = 0;
        // the extremes and how often they are hit, in the same pass (this runs over every sample of every window);
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
            sum += v;
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
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        // the largest deviation from the mean is at one of the extremes
        double peak = Math.max(max - mean, mean - min);
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v == v) {
                double d = v - mean;
                double d2 = d * d;
                m2 += d2;
                m3 += d2 * d;
                m4 += d2 * d2;
            }
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        double skew = m2 > 0 ? m3 / (m2 * sd) : 0;
        double kurt = m2 > 0 ? m4 / (m2 * m2) : 0;
        return new Moments(n, missing, mean, sd, peak, skew, kurt, min, max, atMin, atMax);
    }
}
