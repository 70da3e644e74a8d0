package dev.vigil.sim;

import dev.vigil.domain.FaultType;
import dev.vigil.format.Label;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sensor faults corrupt one channel, leave the machine (and every other channel) alone, and are labelled as such. */
class SensorFaultTest {
    private static final CncSpec SPEC = CncSpec.defaults("cnc-s").withConstantSpeed(6000, 50);

    private static Simulation with(FaultType type, String channel, double severity) {
        return Simulation.builder(SPEC).lifeDurationS(2).seed(9)
                .fault(new FaultSpec(type, 1, 0, Progression.STEP, severity, channel, 0)).build();
    }

    private static Simulation healthy() {
        return Simulation.builder(SPEC).lifeDurationS(2).seed(9).build();
    }

    @Test
    void dropoutMeansNoDataAfterOnsetAndIsLabelledASensorFault() {
        Simulation s = with(FaultType.SENSOR_DROPOUT, "accel_y", 1);
        float[] y = Signals.collect(s, "accel_y");
        int onset = (int) (1 * SPEC.accelRateHz());
        for (int i = 0; i < onset; i++) {
            assertThat(y[i]).isNotNaN();
        }
        for (int i = onset; i < y.length; i++) {
            assertThat(y[i]).isNaN();
        }
        assertThat(s.groundTruth().labels()).singleElement().satisfies(l -> {
            assertThat(l.fault()).isEqualTo("sensor-dropout");
            assertThat(l.category()).isEqualTo(Label.SENSOR);
            assertThat(l.channel()).isEqualTo("accel_y");
            assertThat(l.startS()).isEqualTo(1.0);
        });
    }

    @Test
    void otherChannelsAreBitIdenticalToTheHealthyRun() {
        Simulation s = with(FaultType.SENSOR_SPIKES, "accel_x", 1);
        for (String ch : new String[]{"accel_y", "accel_z", "current_u", "speed_rpm"}) {
            assertThat(Signals.collect(s, ch)).as(ch).containsExactly(Signals.collect(healthy(), ch));
        }
    }

    @Test
    void stuckSensorRepeatsOneValue() {
        float[] x = Signals.collect(with(FaultType.SENSOR_STUCK, "accel_x", 1), "accel_x");
        int onset = (int) SPEC.accelRateHz();
        float v = x[onset];
        for (int i = onset; i < x.length; i++) {
            assertThat(x[i]).isEqualTo(v);
        }
        assertThat(x[onset - 1]).as("frozen at the last good reading").isEqualTo(v);
    }

    @Test
    void spikesAreIsolatedLargeOutliers() {
        float[] x = Signals.collect(with(FaultType.SENSOR_SPIKES, "accel_x", 1), "accel_x");
        float[] h = Signals.collect(healthy(), "accel_x");
        int onset = (int) SPEC.accelRateHz();
        int spikes = 0;
        for (int i = onset; i < x.length; i++) {
            if (x[i] != h[i]) {
                spikes++;
                assertThat(Math.abs(x[i])).isGreaterThan(5 * (float) Signals.rms(h, onset, h.length));
            }
        }
        assertThat(spikes).as("about 20 per second").isBetween(5, 60);
        for (int i = 0; i < onset; i++) {
            assertThat(x[i]).isEqualTo(h[i]);
        }
    }

    @Test
    void clippingFlattensPeaksAtAReducedRange() {
        float[] x = Signals.collect(with(FaultType.SENSOR_CLIPPING, "accel_x", 0.9), "accel_x");
        int onset = (int) SPEC.accelRateHz();
        float max = 0;
        for (int i = onset; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i]));
        }
        int atRail = 0;
        for (int i = onset; i < x.length; i++) {
            if (Math.abs(x[i]) >= max - 1e-3f) {
                atRail++;
            }
        }
        assertThat(max).isLessThan(1f);
        assertThat(atRail).as("many samples sit on the clip level").isGreaterThan(100);
    }

    @Test
    void gainDriftScalesTheReading() {
        float[] x = Signals.collect(with(FaultType.SENSOR_GAIN_DRIFT, "current_u", 1), "current_u");
        float[] h = Signals.collect(healthy(), "current_u");
        int onset = (int) SPEC.currentRateHz();
        double ratio = Signals.rms(x, onset, x.length) / Signals.rms(h, onset, h.length);
        assertThat(ratio).isBetween(1.75, 1.85);
    }

    @Test
    void sensorFaultsOnControllerTagsAreRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> with(FaultType.SENSOR_DROPOUT, "speed_rpm", 1))
                .hasMessageContaining("speed_rpm").hasMessageContaining("tag");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> with(FaultType.SENSOR_DROPOUT, "nope", 1))
                .hasMessageContaining("no channel 'nope'");
    }
}
