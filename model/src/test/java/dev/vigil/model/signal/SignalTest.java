package dev.vigil.model.signal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Feature math against analytic signals. */
class SignalTest {
    private static final double RATE = 25_600;

    private static float[] sine(int n, double amplitude, double hz, double offset) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return x;
    }

    @Test
    void sineMoments() {
        Moments m = Moments.of(sine(25_600, 2.0, 100, 5.0), 0, 25_600);
        assertThat(m.mean()).isCloseTo(5.0, within(1e-4));
        assertThat(m.rms()).as("A / sqrt 2").isCloseTo(2.0 / Math.sqrt(2), within(1e-4));
        assertThat(m.peak()).isCloseTo(2.0, within(1e-3));
        assertThat(m.crestFactor()).isCloseTo(Math.sqrt(2), within(1e-3));
        assertThat(m.kurtosis()).as("a sine's kurtosis is 1.5").isCloseTo(1.5, within(1e-3));
        assertThat(m.skewness()).isCloseTo(0, within(1e-3));
    }

    @Test
    void missingSamplesAreSkippedAndCounted() {
        float[] x = sine(1000, 1, 100, 0);
        x[10] = Float.NaN;
        x[20] = Float.NaN;
        Moments m = Moments.of(x, 0, x.length);
        assertThat(m.missing()).isEqualTo(2);
        assertThat(m.count()).isEqualTo(998);
    }

    @Test
    void spectrumReadsAmplitudeAndBandEnergyReadsMeanSquare() {
        int n = 16_384;
        double hz = 100 * RATE / n; // on a bin
        Spectrum s = new Spectrum(n, RATE).compute(sine(n, 0.7, hz, 0), 0, 0);
        assertThat(s.peakHz(10, 5000)).isCloseTo(hz, within(1e-9));
        assertThat(s.peak(hz - 2, hz + 2)).isCloseTo(0.7, within(1e-3));
        assertThat(s.bandEnergy(hz - 20, hz + 20)).as("mean square of a sine = A^2 / 2").isCloseTo(0.245, within(0.002));
    }

    @Test
    void velocityRmsOfAOneGSineAt100Hz() {
        int n = 16_384;
        double hz = 64 * RATE / n; // 100 Hz exactly
        Spectrum s = new Spectrum(n, RATE).compute(sine(n, 1.0, hz, 0), 0, 0);
        // v = a / (2 pi f): 9.80665 / (2 pi 100) m/s peak = 15.61 mm/s peak = 11.04 mm/s RMS
        assertThat(s.velocityRmsMmPerS(10, 1000)).isCloseTo(11.04, within(0.05));
        assertThat(s.velocityRmsMmPerS(200, 1000)).as("outside the band").isLessThan(0.05);
    }

    @Test
    void envelopeOfAnImpulseTrainShowsItsRepetitionRate() {
        int n = 16_384;
        double rate = 87.0;
        float[] x = new float[n];
        java.util.Random noise = new java.util.Random(1);
        double period = RATE / rate;
        for (double t = 10; t < n; t += period) {
            // each impact rings a 5 kHz mode
            for (int k = 0; k < 200 && (int) t + k < n; k++) {
                x[(int) t + k] += (float) (Math.exp(-k / 20.0) * Math.sin(2 * Math.PI * 5000 * k / RATE));
            }
        }
        for (int i = 0; i < n; i++) {
            x[i] += (float) (0.05 * noise.nextGaussian());
        }
        Spectrum s = new Spectrum(n, RATE).compute(x, 0, 0);
        Spectrum env = new Envelope(s, 3840, 10_750).compute();
        assertThat(env.peakHz(20, 400)).isCloseTo(rate, within(2 * env.binHz()));
        assertThat(env.lineProminence(rate, env.binHz())).isGreaterThan(5 * env.lineProminence(1.37 * rate, env.binHz()));
    }

    @Test
    void spectralKurtosisSeesImpactsNotNoise() {
        int n = 16_384;
        java.util.Random r = new java.util.Random(2);
        float[] noise = new float[n];
        float[] impacts = new float[n];
        for (int i = 0; i < n; i++) {
            noise[i] = (float) r.nextGaussian();
            impacts[i] = (float) (0.2 * r.nextGaussian());
        }
        for (int t = 100; t < n; t += 2100) { // one frame in eight holds an impact
            for (int k = 0; k < 60 && t + k < n; k++) {
                impacts[t + k] += (float) (3 * Math.exp(-k / 8.0) * Math.sin(2 * Math.PI * 6000 * k / RATE));
            }
        }
        SpectralKurtosis sk = new SpectralKurtosis(256);
        double[] a = sk.compute(noise, 0, n, 0).clone();
        double[] b = sk.compute(impacts, 0, n, 0);
        int bin = (int) Math.round(6000 / (RATE / 256));
        assertThat(Math.abs(a[bin])).as("Gaussian noise: SK about 0").isLessThan(1);
        assertThat(b[bin]).as("impacts ringing at 6 kHz").isGreaterThan(3);
    }

    @Test
    void nonSynchronousEnergyLeavesOrdersOut() {
        int n = 16_384;
        double shaft = 50 * RATE / n * 2; // on a bin
        float[] x = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            double t = i / RATE;
            x[i] = (float) (Math.sin(2 * Math.PI * shaft * t) + 0.5 * Math.sin(2 * Math.PI * 3 * shaft * t)
                    + 0.01 * r.nextGaussian());
        }
        Spectrum s = new Spectrum(n, RATE).compute(x, 0, 0);
        assertThat(s.bandEnergy(10, 2000)).isGreaterThan(0.6);
        assertThat(s.nonSynchronousBandEnergy(10, 2000, shaft / 2, 2)).isLessThan(0.001);
    }
}
