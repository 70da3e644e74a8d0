package dev.vigil.model.signal;

import java.util.Arrays;

/**
 * {@link Moments} of one stream's overlapping windows, each block of samples summarised once: a window's moments
 * are merged from the summaries of the whole blocks it covers (kept from earlier windows where the samples are
 * the same) and its two ragged ends. A robot's windows overlap by half, so half of every window was summarised
 * before. The merge is exact up to rounding (Pebay's pairwise update of the central moments, as Chan's for the
 * variance). Not thread-safe: one per channel of a stream.
 */
public final class BlockMoments {
    /** Samples per block, on a grid of stream positions. */
    static final int BLOCK = 256;

    private final long[] at;
    private final float[][] samples;
    private final Part[] parts;
    private final Part sum = new Part();
    private final Part edge = new Part();
    private long reused;

    /** @param windowSamples the longest window this stream sees (more only makes blocks evict each other) */
    public BlockMoments(int windowSamples) {
        int slots = Integer.highestOneBit(Math.max(1, windowSamples / BLOCK)) * 2;
        this.at = new long[slots];
        Arrays.fill(at, SpectralKurtosis.NO_POSITION);
        this.samples = new float[slots][BLOCK];
        this.parts = new Part[slots];
        for (int i = 0; i < slots; i++) {
            parts[i] = new Part();
        }
    }

    /**
     * The moments of {@code x[from, to)}, as {@link Moments#of} gives them up to rounding; {@code position} is the
     * stream position of {@code x[from]} ({@link SpectralKurtosis#NO_POSITION}: computed directly).
     */
    public Moments of(float[] x, int from, int to, long position) {
        if (position == SpectralKurtosis.NO_POSITION) {
            return Moments.of(x, from, to);
        }
        sum.clear();
        long first = Math.floorDiv(position + BLOCK - 1, BLOCK) * BLOCK;
        int i = (int) Math.min(to, from + (first - position));
        sum.merge(edge.of(x, from, i));
        for (; i + BLOCK <= to; i += BLOCK) {
            sum.merge(block(x, i, position + (i - from)));
        }
        sum.merge(edge.of(x, i, to));
        return sum.moments(to - from);
    }

    private Part block(float[] x, int from, long position) {
        int s = (int) Math.floorMod(Math.floorDiv(position, BLOCK), (long) at.length);
        if (at[s] != position || !Arrays.equals(samples[s], 0, BLOCK, x, from, from + BLOCK)) {
            at[s] = position;
            System.arraycopy(x, from, samples[s], 0, BLOCK);
            parts[s].of(x, from, from + BLOCK);
        } else {
            reused++;
        }
        return parts[s];
    }

    /** Blocks taken from an earlier window so far. */
    long reused() {
        return reused;
    }

    /** Count, mean, sums of the 2nd to 4th powers of deviations from the mean, extremes and their counts. */
    private static final class Part {
        long n;
        double mean;
        double m2;
        double m3;
        double m4;
        float min;
        float max;
        long atMin;
        long atMax;

        void clear() {
            n = 0;
            mean = 0;
            m2 = 0;
            m3 = 0;
            m4 = 0;
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
            atMin = 0;
            atMax = 0;
        }

        /** This part becomes the summary of {@code x[from, to)} (NaN skipped), from {@link Moments#of}'s passes. */
        Part of(float[] x, int from, int to) {
            clear();
            Moments m = Moments.of(x, from, to);
            if (m.count() == 0) {
                return this;
            }
            n = m.count();
            mean = m.mean();
            double v2 = m.rms() * m.rms();
            m2 = v2 * n;
            m3 = m.skewness() * v2 * m.rms() * n;
            m4 = m.kurtosis() * v2 * v2 * n;
            min = m.min();
            max = m.max();
            atMin = m.atMin();
            atMax = m.atMax();
            return this;
        }

        /** Adds {@code b}'s samples to this part's (Pebay 2008, the pairwise update of central moments). */
        void merge(Part b) {
            if (b.n == 0) {
                return;
            }
            if (n == 0) {
                n = b.n;
                mean = b.mean;
                m2 = b.m2;
                m3 = b.m3;
                m4 = b.m4;
                min = b.min;
                max = b.max;
                atMin = b.atMin;
                atMax = b.atMax;
                return;
            }
            double na = n;
            double nb = b.n;
            double nn = na + nb;
            double delta = b.mean - mean;
            double d2 = delta * delta;
            double m4n = m4 + b.m4 + d2 * d2 * na * nb * (na * na - na * nb + nb * nb) / (nn * nn * nn)
                    + 6 * d2 * (na * na * b.m2 + nb * nb * m2) / (nn * nn) + 4 * delta * (na * b.m3 - nb * m3) / nn;
            double m3n = m3 + b.m3 + d2 * delta * na * nb * (na - nb) / (nn * nn) + 3 * delta * (na * b.m2 - nb * m2) / nn;
            m2 = m2 + b.m2 + d2 * na * nb / nn;
            m3 = m3n;
            m4 = m4n;
            mean = mean + delta * nb / nn;
            n += b.n;
            atMin = b.min < min ? b.atMin : b.min == min ? atMin + b.atMin : atMin;
            atMax = b.max > max ? b.atMax : b.max == max ? atMax + b.atMax : atMax;
            min = Math.min(min, b.min);
            max = Math.max(max, b.max);
        }

        Moments moments(int length) {
            int missing = (int) (length - n);
            if (n == 0) {
                return Moments.none(missing);
            }
            double v2 = m2 / n;
            double v3 = m3 / n;
            double v4 = m4 / n;
            double sd = Math.sqrt(v2);
            double skew = v2 > 0 ? v3 / (v2 * sd) : 0;
            double kurt = v2 > 0 ? v4 / (v2 * v2) : 0;
            double peak = Math.max(max - mean, mean - min);
            return new Moments((int) n, missing, mean, sd, peak, skew, kurt, min, max, (int) atMin, (int) atMax);
        }
    }
}
