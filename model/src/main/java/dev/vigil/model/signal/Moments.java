package dev.vigil.model.signal;

/**
 * Time-domain statistics of a window, in one pass over the samples where none is missing; NaN samples are
 * skipped and counted.
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
        Moments m = to - from >= 2 ? finite(x, from, to) : null;
        return m != null ? m : withMissing(x, from, to);
    }

    /**
     * The usual case, a window without a missing sample, in one pass (this runs over every sample of every
     * window; the extremes and their counts cost as much as all four moments, and a second pass over the samples
     * as much again): power sums of the deviations from the first sample, turned into central moments at the
     * end. That is exact enough while the mean lies within 16 standard deviations of the first sample; further
     * away (a spike at the start of a short window) the central sums are taken again about the mean. Null when a
     * sample is missing (NaN): {@link #withMissing} skips them.
     */
    private static Moments finite(float[] x, int from, int to) {
        float first = x[from];
        if (first != first) {
            return null;
        }
        double shift = first;
        // two sums per moment: one would wait for the previous addition at every sample
        double a1 = 0;
        double b1 = 0;
        double a2 = 0;
        double b2 = 0;
        double a3 = 0;
        double b3 = 0;
        double a4 = 0;
        double b4 = 0;
        // comparisons, not Math.min/max, whose NaN and -0.0 handling is a slow path
        float min = first;
        float max = first;
        // the first sample deviates from itself by nothing: with an odd count it is taken as counted here, and the
        // loop reads pairs after it
        boolean odd = (to - from) % 2 == 1;
        int atMin = odd ? 1 : 0;
        int atMax = atMin;
        for (int i = odd ? from + 1 : from; i + 1 < to; i += 2) {
            float v = x[i];
            float w = x[i + 1];
            if (v != v || w != w) {
                return null;
            }
            double d = v - shift;
            double e = w - shift;
            double p = d * d;
            double q = e * e;
            a1 += d;
            b1 += e;
            a2 += p;
            b2 += q;
            a3 += p * d;
            b3 += q * e;
            a4 += p * p;
            b4 += q * q;
            // the extremes' update is written out for each sample of the pair, as in withMissing: a helper that
            // returned both extreme and count would allocate or need state, in the loop every sample passes
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
            if (w < min) {
                min = w;
                atMin = 1;
            } else if (w == min) {
                atMin++;
            }
            if (w > max) {
                max = w;
                atMax = 1;
            } else if (w == max) {
                atMax++;
            }
        }
        int n = to - from;
        double s1 = (a1 + b1) / n;
        double s2 = (a2 + b2) / n;
        double s3 = (a3 + b3) / n;
        double s4 = (a4 + b4) / n;
        double mean = shift + s1;
        double ss = s1 * s1;
        double m2 = s2 - ss;
        double[] central;
        // the central moments from the raw ones lose about 20 eps (offset / sd)^4 of the fourth moment's
        // precision: within 16 sd that stays near 1e-10 (the samples themselves hold 1e-7); beyond, or where the
        // spread is nil, the sums are taken again
        if (m2 > 0 && ss <= 256 * m2) {
            central = new double[]{m2, s3 - 3 * s1 * s2 + 2 * ss * s1,
                s4 - 4 * s1 * s3 + 6 * ss * s2 - 3 * ss * ss};
        } else {
            central = central(x, from, to, mean, n);
        }
        return of(n, 0, mean, central, min, max, atMin, atMax);
    }

    /** Two passes, skipping and counting missing (NaN) samples. */
    private static Moments withMissing(float[] x, int from, int to) {
        int n = 0;
        double sum = 0;
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
        return of(n, missing, mean, central(x, from, to, mean, n), min, max, atMin, atMax);
    }

    private static Moments of(int n, int missing, double mean, double[] central, float min, float max, int atMin,
                              int atMax) {
        double m2 = central[0];
        double sd = Math.sqrt(m2);
        double skew = m2 > 0 ? central[1] / (m2 * sd) : 0;
        double kurt = m2 > 0 ? central[2] / (m2 * m2) : 0;
        // the largest deviation from the mean is at one of the extremes
        double peak = Math.max(max - mean, mean - min);
        return new Moments(n, missing, mean, sd, peak, skew, kurt, min, max, atMin, atMax);
    }

    /** The second, third and fourth central moments of the {@code n} finite samples about {@code mean}. */
    private static double[] central(float[] x, int from, int to, double mean, int n) {
        // four partial sums per moment: one sum would wait for the previous addition at every sample
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
        return new double[]{((a2 + b2) + (c2 + d2)) / n, ((a3 + b3) + (c3 + d3)) / n, ((a4 + b4) + (c4 + d4)) / n};
    }

    /**
     * The mean of the finite samples of {@code x[from, to)} (NaN when there are none), as {@link #of} gives it up to
     * rounding, in one pass: for channels whose other moments are not wanted (positions, tags, speeds).
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
