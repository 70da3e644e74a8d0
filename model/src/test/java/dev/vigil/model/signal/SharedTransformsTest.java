package dev.vigil.model.signal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One set of FFT plans and windows serves every machine's spectra at once: what each spectrum, envelope and
 * kurtosis reads is what it reads with tables of its own, however many threads transform with the shared ones.
 */
class SharedTransformsTest {
    private static final double RATE = 25_600;

    private static float[] signal(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.1 * r.nextGaussian() + 0.3 * Math.sin(2 * Math.PI * 157 * i / RATE)
                    * (1 + 0.5 * Math.sin(2 * Math.PI * 7 * i / RATE)));
        }
        return x;
    }

    /** Amplitudes, envelope amplitudes and kurtosis of one window, from transforms built on {@code shared}. */
    private static double[] figures(float[] x, Transforms shared) {
        Spectrum spectrum = new Spectrum(16_384, RATE, shared).compute(x, 0, 0);
        double[] amplitudes = spectrum.amplitudes().clone();
        double[] envelope = new Envelope(spectrum, 0.15 * RATE, 0.42 * RATE).compute().amplitudes().clone();
        double[] kurtosis = new SpectralKurtosis(1024, shared).compute(x, 0, x.length, 0).clone();
        double[] all = new double[amplitudes.length + envelope.length + kurtosis.length];
        System.arraycopy(amplitudes, 0, all, 0, amplitudes.length);
        System.arraycopy(envelope, 0, all, amplitudes.length, envelope.length);
        System.arraycopy(kurtosis, 0, all, amplitudes.length + envelope.length, kurtosis.length);
        return all;
    }

    @Test
    void spectraFromSharedTablesOnManyThreadsAreThoseFromTablesOfTheirOwn() throws Exception {
        Transforms shared = new Transforms();
        int machines = 8;
        List<float[]> windows = new ArrayList<>();
        List<double[]> alone = new ArrayList<>();
        for (int m = 0; m < machines; m++) {
            windows.add(signal(m, 25_600));
            alone.add(figures(windows.get(m), new Transforms()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int m = 0; m < machines; m++) {
                    float[] x = windows.get(m);
                    results.add(pool.submit(() -> figures(x, shared)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).as("machine %d, round %d", i % machines,
                        i / machines).containsExactly(alone.get(i % machines));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(shared.plan(16_384)).as("one plan per size").isSameAs(shared.plan(16_384));
        assertThat(shared.hann(1024)).isSameAs(shared.hann(1024));
    }
}
