package dev.vigil.model.signal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AmplitudeSpectrumTest {

    @Test
    void sineOfAmplitudeAReadsAAtItsBin() {
        double rate = 25_600;
        int n = 4096;
        double hz = 50 * rate / n; // exactly on bin 50
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.7 * Math.sin(2 * Math.PI * hz * i / rate) + 3.0);
        }
        double[] amp = new AmplitudeSpectrum(n, rate).compute(x, 0);

        int peak = 0;
        for (int k = 1; k < amp.length; k++) {
            if (amp[k] > amp[peak]) {
                peak = k;
            }
        }
        assertThat(peak).isEqualTo(50);
        assertThat(amp[50]).isCloseTo(0.7, within(1e-3));
        assertThat(amp[0]).as("the mean is removed").isLessThan(1e-6);
        assertThat(amp[200]).isLessThan(1e-4);
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        assertThatThrownBy(() -> new AmplitudeSpectrum(1000, 1000)).hasMessageContaining("power of two");
    }
}
