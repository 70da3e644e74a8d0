package dev.vigil.model.calibrate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PeaksOverThresholdTest {

    @Test
    void extrapolatesAnExponentialTail() {
        Random r = new Random(7);
        double[] s = new double[5000];
        for (int i = 0; i < s.length; i++) {
            s[i] = -Math.log(1 - r.nextDouble());
        }
        PeaksOverThreshold pot = PeaksOverThreshold.fit(s);
        assertThat(pot.method()).isEqualTo("pot");
        assertThat(pot.xi()).as("exponential tail: shape about 0").isBetween(-0.15, 0.15);
        double q = 1e-5; // far beyond the 5,000 samples
        assertThat(pot.threshold(q)).isBetween(0.85 * -Math.log(q), 1.15 * -Math.log(q));
    }

    @Test
    void heavyTailGetsAHigherThresholdThanALightOne() {
        Random r = new Random(8);
        double[] light = new double[4000];
        double[] heavy = new double[4000];
        for (int i = 0; i < light.length; i++) {
            double u = r.nextDouble();
            light[i] = -Math.log(1 - u);
            heavy[i] = Math.pow(1 - u, -0.4) - 1; // Pareto, shape 0.4
        }
        PeaksOverThreshold l = PeaksOverThreshold.fit(light);
        PeaksOverThreshold h = PeaksOverThreshold.fit(heavy);
        assertThat(h.xi()).isGreaterThan(0.2);
        assertThat(h.threshold(1e-5)).isGreaterThan(2 * l.threshold(1e-5));
    }

    @Test
    void fewScoresGetARobustExponentialTailAboveTheirLargest() {
        double[] s = {1, 1.1, 0.9, 1.2, 1.05, 0.95, 1.3, 1.0};
        PeaksOverThreshold pot = PeaksOverThreshold.fit(s);
        assertThat(pot.method()).isEqualTo("robust-exponential");
        assertThat(pot.threshold(1e-4)).isGreaterThan(1.3);
    }

    @Test
    void aHandfulOfOddWindowsDoNotSetTheLevels() {
        // 99 held-out windows around 1.6 and one at 54.6: the case that once made a model blind to real faults
        Random r = new Random(3);
        double[] s = new double[100];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1.6 * Math.exp(0.2 * r.nextGaussian());
        }
        s[42] = 54.6;
        double level = PeaksOverThreshold.fit(s).threshold(1e-4);
        assertThat(level).isLessThan(10 * 1.6).isGreaterThan(1.6);
        s[42] = 2;
        assertThat(PeaksOverThreshold.fit(s).threshold(1e-4)).as("the outlier moved the level by little")
                .isCloseTo(level, org.assertj.core.data.Percentage.withPercentage(15));
    }

    @Test
    void hysteresisNeedsConsecutiveWindowsAndClearsSlowly() {
        Calibration c = new Calibration(2, 4, 1.0, 3, 5, 0.8, 1e-4, 1e-7, PeaksOverThreshold.fit(new double[]{1, 2, 3}));
        Calibration.Tracker t = c.tracker();
        t.update(5);
        t.update(5);
        t.update(1);
        assertThat(t.alarm()).as("two windows are not enough").isFalse();
        t.update(3);
        t.update(3);
        t.update(3);
        assertThat(t.alarm()).isTrue();
        t.update(1.8); // below warning but above the clear level
        for (int i = 0; i < 4; i++) {
            t.update(1);
        }
        assertThat(t.alarm()).isTrue();
        t.update(1);
        t.update(1);
        assertThat(t.alarm()).isFalse();
    }
}
