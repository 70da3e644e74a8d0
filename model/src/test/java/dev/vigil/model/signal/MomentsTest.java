package dev.vigil.model.signal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Moments#of} against a reference in exact decimal arithmetic, over signals built to hurt the one-pass sums:
 * a large offset with a small spread, a spike or a step at the first sample (the sums are taken about it), quantised
 * samples that hit their extremes often, odd lengths, missing samples.
 */
class MomentsTest {

    @Property(tries = 300)
    void momentsMatchExactArithmetic(@ForAll @IntRange(min = 2, max = 3000) int length,
                                     @ForAll @DoubleRange(min = -1e4, max = 1e4) double offset,
                                     @ForAll @IntRange(min = -4, max = 3) int scaleExponent,
                                     @ForAll @IntRange(min = 0, max = 3) int start,
                                     @ForAll @IntRange(min = 0, max = 16) int quantumBits,
                                     @ForAll @IntRange(min = 0, max = 3) int missing,
                                     @ForAll long seed) {
        Random r = new Random(seed);
        double scale = Math.pow(10, scaleExponent);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            double v = offset + scale * (Math.sin(i * 0.37) + 0.5 * r.nextGaussian());
            if (quantumBits > 0) {
                // a converter's steps: few distinct values, extremes hit many times
                double q = scale * Math.pow(2, -quantumBits + 4);
                v = offset + q * Math.round((v - offset) / q);
            }
            x[i] = (float) v;
        }
        switch (start) {
            case 1 -> x[0] = (float) (offset + 1000 * scale); // a spike at the first sample
            case 2 -> {
                for (int i = 0; i < length / 3; i++) {
                    x[i] = (float) (offset - 50 * scale); // a step: the first third far from the rest
                }
            }
            case 3 -> x[0] = (float) (offset + 20 * scale); // about where the sums are taken again
            default -> { }
        }
        for (int k = 0; k < missing && length > 8; k++) {
            x[r.nextInt(length)] = Float.NaN;
        }
        assertMatches(x);
    }

    @Test
    void flatAndNearlyFlatWindows() {
        float[] flat = new float[1001];
        java.util.Arrays.fill(flat, 3.25f);
        Moments m = Moments.of(flat, 0, flat.length);
        assertThat(m.rms()).isZero();
        assertThat(m.kurtosis()).isZero();
        assertThat(m.skewness()).isZero();
        assertThat(m.atMin()).isEqualTo(1001);
        assertThat(m.atMax()).isEqualTo(1001);
        flat[500] = Math.nextUp(3.25f);
        assertMatches(flat);
    }

    @Test
    void aRangeInsideTheArray() {
        float[] x = new float[100];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 7 - 3;
        }
        x[0] = Float.NaN;
        x[99] = Float.NaN;
        Moments inner = Moments.of(x, 1, 99);
        assertThat(inner.missing()).isZero();
        assertThat(inner.count()).isEqualTo(98);
        float[] copy = java.util.Arrays.copyOfRange(x, 1, 99);
        assertThat(inner).isEqualTo(Moments.of(copy, 0, copy.length));
    }

    private static void assertMatches(float[] x) {
        Moments m = Moments.of(x, 0, x.length);
        MathContext mc = MathContext.DECIMAL128;
        int n = 0;
        BigDecimal sum = BigDecimal.ZERO;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            if (v == v) {
                n++;
                sum = sum.add(new BigDecimal(v));
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int atMin = 0;
        int atMax = 0;
        for (float v : x) {
            atMin += v == min ? 1 : 0;
            atMax += v == max ? 1 : 0;
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
        BigDecimal m2 = BigDecimal.ZERO;
        BigDecimal m3 = BigDecimal.ZERO;
        BigDecimal m4 = BigDecimal.ZERO;
        for (float v : x) {
            if (v == v) {
                BigDecimal d = new BigDecimal(v).subtract(mean, mc);
                BigDecimal d2 = d.multiply(d, mc);
                m2 = m2.add(d2, mc);
                m3 = m3.add(d2.multiply(d, mc), mc);
                m4 = m4.add(d2.multiply(d2, mc), mc);
            }
        }
        double var = m2.divide(BigDecimal.valueOf(n), mc).doubleValue();
        double sd = Math.sqrt(var);
        double skew = var > 0 ? m3.divide(BigDecimal.valueOf(n), mc).doubleValue() / (var * sd) : 0;
        double kurt = var > 0 ? m4.divide(BigDecimal.valueOf(n), mc).doubleValue() / (var * var) : 0;
        // the mean is a sum of n terms divided by n: summing in double may lose up to n eps of the terms' size
        // (Higham's bound), and the one pass sums deviations from the first sample, the other the samples themselves
        double terms = 0;
        for (float v : x) {
            if (v == v) {
                terms += n == x.length ? Math.abs((double) v - x[0]) : Math.abs(v);
            }
        }
        double meanTolerance = Math.ulp(1.0) * (Math.abs(mean.doubleValue()) + terms) + 1e-300;
        // a mean far from zero against the spread (an offset of 1e4 with a spread of 1e-4) is itself only held to
        // its rounding, which every deviation from it carries: the bound grows with that ratio, as any method's
        // error in double arithmetic does; sums about a faraway sample would miss it by its square
        double tolerance = 1e-9 + 1e-14 * (sd > 0 ? Math.abs(mean.doubleValue()) / sd : 0);

        assertThat(m.count()).isEqualTo(n);
        assertThat(m.missing()).isEqualTo(x.length - n);
        assertThat(m.min()).isEqualTo(min);
        assertThat(m.max()).isEqualTo(max);
        assertThat(m.atMin()).isEqualTo(atMin);
        assertThat(m.atMax()).isEqualTo(atMax);
        assertThat(m.mean()).isCloseTo(mean.doubleValue(), within(meanTolerance));
        assertThat(m.rms()).isCloseTo(sd, within(tolerance * sd + 1e-300));
        assertThat(m.skewness()).isCloseTo(skew, within(tolerance * Math.max(1, Math.abs(skew))));
        assertThat(m.kurtosis()).isCloseTo(kurt, within(tolerance * Math.max(1, kurt)));
        // the peak is a difference from the mean: it carries the mean's error and is rounded itself, to its own ulp
        // (a spike far from a small mean has an ulp larger than the mean's bound)
        double peak = Math.max(max - mean.doubleValue(), mean.doubleValue() - min);
        assertThat(m.peak()).isCloseTo(peak, within(meanTolerance + Math.ulp(peak)));
    }
}
