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
            return none(missing);
        }
        double mean = sum / n;
        // four partial sums per moment: one sum would wait for the previous addition at every sample (this runs
        // over every sample of every window), four let the additions overlap
        double a2 = 0;
        double b2 = 0;
        double c2 = 0;
        double d2 = 0;
        double a3 = 0;
        double b3 = 0;
        double c3 = 0;
        double d3 = 0;
        double a4 = 0;
        double b4 = 0;
        double c4 = 0;
        double d4 = 0;
        // the largest deviation from the mean is at one of the extremes
        double peak = Math.max(max - mean, mean - min);
        int i = from;
        for (; i + 3 < to; i += 4) {
            double e0 = deviation(x[i], mean);
            double e1 = deviation(x[i + 1], mean);
            double e2 = deviation(x[i + 2], mean);
            double e3 = deviation(x[i + 3], mean);
            double q0 = e0 * e0;
            double q1 = e1 * e1;
            double q2 = e2 * e2;
            double q3 = e3 * e3;
            a2 += q0;
            b2 += q1;
            c2 += q2;
            d2 += q3;
            a3 += q0 * e0;
            b3 += q1 * e1;
            c3 += q2 * e2;
            d3 += q3 * e3;
            a4 += q0 * q0;
            b4 += q1 * q1;
            c4 += q2 * q2;
            d4 += q3 * q3;
        }
        for (; i < to; i++) {
            double e = deviation(x[i], mean);
            double q = e * e;
            a2 += q;
            a3 += q * e;
            a4 += q * q;
        }
        double m2 = (a2 + b2) + (c2 + d2);
        double m3 = (a3 + b3) + (c3 + d3);
        double m4 = (a4 + b4) + (c4 + d4);
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        double skew = m2 > 0 ? m3 / (m2 * sd) : 0;
        double kurt = m2 > 0 ? m4 / (m2 * m2) : 0;
        return new Moments(n, missing, mean, sd, peak, skew, kurt, min, max, atMin, atMax);
    }

    /**
     * The mean of the finite samples of {@code x[from, to)} (NaN when there are none), as {@link #of} gives it, in
     * one pass: for channels whose other moments are not wanted (positions, tags, speeds).
     */
    public static double meanOf(float[] x, int from, int to) {
        int n = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v == v) {
                n++;
                sum += v;
            }
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    /** The moments of a stretch with no finite sample: {@code missing} NaN samples, every statistic NaN. */
    static Moments none(int missing) {
        return new Moments(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Float.NaN,
                Float.NaN, 0, 0);
    }

    /** A sample's deviation from the mean; a NaN sample (skipped) deviates by nothing. */
    private static double deviation(float v, double mean) {
        return v == v ? v - mean : 0;
    }
}
