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
    void aBaselineThenQuadraticGrowthIsProjectedFromItsOnset() {
        HealthForecast f = new HealthForecast(30 * 60_000L, 10);
        Random noise = new Random(2);
        long t0 = 1_767_225_600_000L;
        // healthy at 1.2 for 10 min, then 1.2 + 0.0004 s^2 (s since onset): critical 6 at s = 109.5 s later
        double c = 0.0004;
        for (int s = 0; s <= 600 + 60; s++) {
            double since = Math.max(0, s - 600);
            f.add(t0 + s * 1000L, 1.2 + c * since * since + 0.05 * noise.nextGaussian(), 3, 6);
        }
        Availability.Forecast at60 = f.forecast();
        assertThat(at60).isNotNull();
        double actualHours = (Math.sqrt(4.8 / c) - 60) / 3600;
        assertThat(at60.hours()).isCloseTo(actualHours, within(0.25 * actualHours));
        assertThat(at60.basedOnMinutes()).isBetween(0.5, 2.0);
    }

    @Test
    void aFlatOrFallingTrendOrAHealthyMachineHasNoForecast() {
        HealthForecast f = new HealthForecast(30 * 60_000L, 10);
        long t0 = 1_767_225_600_000L;
        for (int s = 0; s < 600; s++) {
            f.add(t0 + s * 1000L, 9 - s / 100.0, 4, 16);
        }
        assertThat(f.forecast()).as("falling").isNull();
        HealthForecast healthy = new HealthForecast(30 * 60_000L, 10);
        for (int s = 0; s < 600; s++) {
            healthy.add(t0 + s * 1000L, 1 + s / 1000.0, 4, 16);
        }
        assertThat(healthy.forecast()).as("rising, but under half the warning level").isNull();
        HealthForecast young = new HealthForecast(30 * 60_000L, 10);
        for (int s = 0; s < 5; s++) {
            young.add(t0 + s * 1000L, 3 + s, 4, 16);
        }
        assertThat(young.forecast()).as("too few scores").isNull();
    }

    @Test
    void aHealthyMachineHoveringNearHalfItsWarningLevelIsNeverForecastToFail() {
        // smoothed like the detectors' scores (EWMA 0.3 of noisy windows around 0.6 x warning): every upward wiggle
        // of 30 min of it must not turn into a time to critical
        Random noise = new Random(3);
        HealthForecast f = new HealthForecast(30 * 60_000L, 10);
        long t0 = 1_767_225_600_000L;
        double smoothed = 1.8;
        int forecasts = 0;
        for (int s = 0; s < 3 * 3600; s++) {
            smoothed = 0.3 * (1.8 + 0.5 * noise.nextGaussian()) + 0.7 * smoothed;
            f.add(t0 + s * 1000L, smoothed, 3, 6);
            if (s % 10 == 0 && f.forecast() != null) {
                forecasts++;
            }
        }
        assertThat(forecasts).as("forecasts in 3 h of healthy running").isZero();
    }
}
