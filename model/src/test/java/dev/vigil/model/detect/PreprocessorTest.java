package dev.vigil.model.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A speed change is explained by the context; a change the context does not explain is not. */
class PreprocessorTest {

    @Test
    void contextExplainsSpeedDependenceAndExpectedValuesTrackIt() {
        Random r = new Random(1);
        List<double[]> raw = new ArrayList<>();
        List<double[]> ctx = new ArrayList<>();
        List<String[]> cat = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double rpm = 3000 + 15000 * r.nextDouble();
            String mode = r.nextBoolean() ? "cut" : "air";
            double fr = rpm / 60;
            // vibration grows with speed squared, more when cutting; a second feature does not care
            double vib = 1e-5 * fr * fr * (mode.equals("cut") ? 2 : 1) * Math.exp(0.05 * r.nextGaussian());
            raw.add(new double[]{vib, 5 + 0.1 * r.nextGaussian()});
            ctx.add(new double[]{rpm});
            cat.add(new String[]{mode});
        }
        Preprocessor p = Preprocessor.fit(new boolean[]{true, false}, raw, ctx, cat);
        double[] slow = p.standardise(new double[]{1e-5 * 50 * 50 * 2, 5}, new double[]{3000}, new String[]{"cut"});
        double[] fast = p.standardise(new double[]{1e-5 * 300 * 300 * 2, 5}, new double[]{18000}, new String[]{"cut"});
        assertThat(Math.abs(slow[0])).as("healthy at low speed").isLessThan(3);
        assertThat(Math.abs(fast[0])).as("healthy at high speed").isLessThan(3);
        double[] faulty = p.standardise(new double[]{3 * 1e-5 * 200 * 200 * 2, 5}, new double[]{12000}, new String[]{"cut"});
        assertThat(faulty[0]).as("three times the expected vibration").isGreaterThan(5);
        double[] expected = p.expectedRaw(new double[2], new double[]{12000}, new String[]{"air"});
        assertThat(expected[0]).isCloseTo(1e-5 * 200 * 200, within(0.1 * 1e-5 * 200 * 200));
        assertThat(expected[1]).isCloseTo(5, within(0.05));
    }
}
