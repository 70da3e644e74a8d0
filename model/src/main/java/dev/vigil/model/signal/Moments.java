package dev.vigil.model.signal;

/**
 * Time-domain statistics of a window, from one pass over the samples. NaN samples are skipped and counted.
 *
 * @param count finite samples used
 * @param missing NaN samples skipped
 * @param mean mean value
 * @param rms root mean square about the mean (AC RMS: accelerometers and currents are AC signals)
 * @param peak largest absolute deviation from the mean
 * @param skewness third standardised moment
 * @param kurtosis fourth standardised moment (3 for Gaussian noise, large for impacts)
 */
public record Moments(int count, int missing, double mean, double rms, double peak, double skewness, double kurtosis) {

    public double crestFactor() {
        return rms > 0 ? peak / rms : 0;
    }

    public static Moments of(float[] x, int from, int to) {
        int n = 0;
        double sum = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v == v) {
                sum += v;
                n++;
            }
        }
        int missing = (to - from) - n;
        if (n == 0) {
            return new Moments(0, missing, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        double peak = 0;
        for (int i = from; i < to; i++) {
            float v = x[i];
            if (v == v) {
                double d = v - mean;
                double d2 = d * d;
                m2 += d2;
                m3 += d2 * d;
                m4 += d2 * d2;
                double a = Math.abs(d);
                if (a > peak) {
                    peak = a;
                }
            }
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        double skew = m2 > 0 ? m3 / (m2 * sd) : 0;
        double kurt = m2 > 0 ? m4 / (m2 * m2) : 0;
        return new Moments(n, missing, mean, sd, peak, skew, kurt);
    }
}
