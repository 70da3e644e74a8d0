package dev.vigil.model.feature;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SensorCheckTest {

    private static float[] noise(long seed) {
        Random r = new Random(seed);
        float[] x = new float[25_600];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.05 * r.nextGaussian() + 0.2 * Math.sin(i * 0.05));
        }
        return x;
    }

    @Test
    void healthySignalPasses() {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(SensorCheck.check("a", noise(seed))).isNull();
        }
    }

    @Test
    void recognisesFailingMeasurements() {
        float[] x = noise(1);
        java.util.Arrays.fill(x, 100, 400, Float.NaN);
        assertThat(SensorCheck.check("acc", x)).isEqualTo("dropout:acc");

        assertThat(SensorCheck.check("acc", new float[1000])).isEqualTo("flatline:acc");

        for (float inf : new float[]{Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] overflow = noise(3);
            overflow[5000] = inf;
            assertThat(SensorCheck.check("acc", overflow)).as("one sample of " + inf).isEqualTo("non-finite:acc");
        }

        float[] clipped = noise(2);
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.max(-0.15f, Math.min(0.15f, clipped[i]));
        }
        assertThat(SensorCheck.check("acc", clipped)).isEqualTo("clipping:acc");

        float[] spiky = noise(3);
        spiky[5000] = 9f;
        assertThat(SensorCheck.check("acc", spiky)).isEqualTo("spikes:acc");
    }

    @Test
    void aRingingImpactIsNotASpike() {
        float[] x = noise(4);
        for (int k = 0; k < 80; k++) {
            x[3000 + k] += (float) (4 * Math.exp(-k / 10.0) * Math.sin(2 * Math.PI * 0.38 * k));
        }
        assertThat(SensorCheck.check("acc", x)).isNull();
    }
}
