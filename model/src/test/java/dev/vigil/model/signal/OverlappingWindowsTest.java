package dev.vigil.model.signal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Work shared between a stream's overlapping windows (a robot's, half a cycle apart) gives what each window alone
 * gives, up to rounding: block moments against {@link Moments#of}, reused kurtosis frames against fresh ones; and
 * it is shared, or the robot's cost would not halve.
 */
class OverlappingWindowsTest {
    private static final int RATE = 6400;

    /** Noise around an offset with impacts, a clipped stretch (extremes hit many times) and, if asked, gaps. */
    private static float[] stream(long seed, int n, boolean gaps) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 + 0.05 * r.nextGaussian() + (i % 997 == 0 ? 1.5 : 0));
            if (i > n / 3 && i < n / 3 + 500) {
                x[i] = Math.min(x[i], 0.32f);
            }
            if (gaps && i % 5000 == 17) {
                x[i] = Float.NaN;
            }
        }
        return x;
    }

    private static void assertSame(Moments shared, Moments direct) {
        assertThat(shared.count()).isEqualTo(direct.count());
        assertThat(shared.missing()).isEqualTo(direct.missing());
        assertThat(shared.min()).isEqualTo(direct.min());
        assertThat(shared.max()).isEqualTo(direct.max());
        assertThat(shared.atMin()).isEqualTo(direct.atMin());
        assertThat(shared.atMax()).isEqualTo(direct.atMax());
        assertThat(shared.mean()).isCloseTo(direct.mean(), within(1e-12));
        assertThat(shared.rms()).isCloseTo(direct.rms(), within(1e-12 * direct.rms()));
        assertThat(shared.peak()).isCloseTo(direct.peak(), within(1e-9));
        assertThat(shared.skewness()).isCloseTo(direct.skewness(), within(1e-9));
        assertThat(shared.kurtosis()).isCloseTo(direct.kurtosis(), within(1e-9 * direct.kurtosis()));
    }

    @Test
    void blockMomentsOfOverlappingWindowsAreEachWindowsOwn() {
        for (boolean gaps : new boolean[]{false, true}) {
            float[] x = stream(7, 400_000, gaps);
            BlockMoments shared = new BlockMoments(31_000);
            Random r = new Random(3);
            // hops of whole blocks and not, cycles of varying length, as a robot's windows come
            for (int start = 0, w = 0; start + 31_000 < x.length; start += 15_360 + (w++ % 3 == 0 ? 37 : 0)) {
                int length = 29_000 + r.nextInt(2_000);
                float[] window = Arrays.copyOfRange(x, start, start + length);
                assertSame(shared.of(window, 0, length, start), Moments.of(window, 0, length));
            }
            assertThat(shared.reused()).as("blocks summarised once, used again").isGreaterThan(500);
        }
    }

    @Test
    void blocksAreReusedOnlyWhereTheSamplesAreTheSame() {
        float[] x = stream(11, 100_000, false);
        BlockMoments shared = new BlockMoments(40_000);
        float[] first = Arrays.copyOfRange(x, 0, 40_000);
        shared.of(first, 0, first.length, 0);
        // the same positions with other samples (a gateway's clock moved the grid, a gap closed up): not reused
        float[] other = Arrays.copyOfRange(x, 50_000, 90_000);
        assertSame(shared.of(other, 0, other.length, 0), Moments.of(other, 0, other.length));
        assertThat(shared.reused()).isZero();
        // all missing: as Moments says it
        float[] none = new float[5_000];
        Arrays.fill(none, Float.NaN);
        Moments m = shared.of(none, 0, none.length, 80_000);
        assertThat(m.count()).isZero();
        assertThat(m.missing()).isEqualTo(5_000);
        assertThat(m.mean()).isNaN();
    }

    @Test
    void reusedKurtosisFramesGiveWhatFreshOnesGive() {
        float[] x = stream(5, 300_000, false);
        SpectralKurtosis reusing = new SpectralKurtosis(64);
        SpectralKurtosis fresh = new SpectralKurtosis(64);
        Random r = new Random(9);
        long checked = 0;
        // hops of whole frames (reused) and not (transformed again); a mean far from zero, taken off after reuse
        for (int start = 0, w = 0; start + 32_000 < x.length; start += 15_360 + (w++ % 4 == 3 ? 5 : 0)) {
            int length = 30_000 + r.nextInt(2_000);
            double mean = Moments.of(x, start, start + length).mean();
            double[] a = reusing.compute(x, start, start + length, mean, start).clone();
            double[] b = fresh.compute(x, start, start + length, mean);
            for (int k = 1; k < a.length; k++) {
                assertThat(a[k]).as("bin %d of the window at %d", k, start).isCloseTo(b[k], within(1e-9 * (1 + Math.abs(b[k]))));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(300);
        assertThat(reusing.reused()).as("frames of earlier windows used again").isGreaterThan(3_000);
    }
}
