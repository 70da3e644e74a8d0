package dev.vigil.runtime.scheduler;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The trend forecast on scores whose amplitude grows steadily (squared-error scores, as the detectors give). */
class HealthForecastTest {

    @Test
    void aSteadilyGrowingAmplitudeIsProjectedToTheCriticalLevel() {
        HealthForecast f = new HealthForecast(30 * 60_000L, 10);
        Random noise = new Random(1);
        double warning = 4;
        double critical = 16;
        long t0 = 1_767_225_600_000L;
        // amplitude 1 -> 4 over 60 min: score = amplitude^2 reaches critical (16) at 60 min
        for (int s = 0; s <= 30 * 60; s++) {
            double amplitude = 1 + 3.0 * s / 3600 + 0.01 * noise.nextGaussian();
            f.add(t0 + s * 1000L, amplitude * amplitude, warning, critical);
        }
        Availability.Forecast at30 = f.forecast();
        assertThat(at30).isNotNull();
        assertThat(at30.hours()).as("half an hour left").isCloseTo(0.5, within(0.02));
        assertThat(at30.lowHours()).isLessThanOrEqualTo(at30.hours());
        assertThat(at30.highHours()).isGreaterThanOrEqualTo(at30.hours());
    }

    @Test
    void aFlatOrFallingTrendHasNoForecastAndHealthyRunningRestartsIt() {
        HealthForecast f = new HealthForecast(30 * 60_000L, 10);
        long t0 = 1_767_225_600_000L;
        for (int s = 0; s < 600; s++) {
            f.add(t0 + s * 1000L, 9 - s / 100.0, 4, 16);
        }
        assertThat(f.forecast()).as("falling").isNull();
        f.add(t0 + 601_000, 1, 4, 16);  // back under half the warning level
        for (int s = 602; s < 606; s++) {
            f.add(t0 + s * 1000L, 3 + s, 4, 16);
        }
        assertThat(f.forecast()).as("too few points since the trend restarted").isNull();
    }
}
