package dev.vigil.model.bench;

import dev.vigil.domain.FaultType;
import dev.vigil.model.detect.AutoencoderDetector;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.signal.Moments;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.SimBlock;
import dev.vigil.sim.Simulation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Feature extraction and scoring costs, one thread.
 *
 * <ul>
 *   <li>{@code featuresOneSecondVibration}: the full feature set of one 25.6 kHz accelerometer channel (moments,
 *       velocity, bands, spectral kurtosis, orders, envelope and bearing lines) for a 1 s window of 25,600
 *       samples. Throughput = 25,600 / time.</li>
 *   <li>{@code baselineOnePassMoments}: one pass over the same samples (mean, RMS, kurtosis), the floor any
 *       feature extractor pays.</li>
 *   <li>{@code scoreOneVector} vs {@code scoreBatchOf512}: the autoencoder on 86 features and 20 context inputs
 *       (the CNC model's size), one row per call against 512 rows per call.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelBenchmark {
    private WaveformFeatures features;
    private float[][] window;
    private Detector detector;
    private double[][] z1;
    private double[][] c1;
    private double[][] z512;
    private double[][] c512;

    @Setup(Level.Trial)
    public void setUp() {
        CncSpec spec = CncSpec.defaults("bench").withConstantSpeed(9000, 50);
        Simulation sim = Simulation.builder(spec).lifeDurationS(2).seed(1)
                .fault(new FaultSpec(FaultType.BEARING_OUTER, 0, 0, Progression.STEP, 0.3, null, 0)).build();
        float[] accel = new float[25_600];
        float[] rpm = new float[10];
        Iterator<SimBlock> it = sim.blocks();
        it.next();
        for (int b = 0; b < 10; b++) {
            SimBlock block = it.next();
            System.arraycopy(block.samples()[0], 0, accel, b * 2560, 2560);
            rpm[b] = block.samples()[6][0];
        }
        window = new float[][]{accel, rpm};
        features = new WaveformFeatures(new FeatureSpec(FeatureSpec.WAVEFORM, 1.0, 1.0, List.of(
                new FeatureSpec.ChannelUse("accel_x", "g", 25_600, FeatureSpec.ChannelUse.VIBRATION),
                new FeatureSpec.ChannelUse("speed_rpm", "rpm", 10, FeatureSpec.ChannelUse.SPEED)),
                spec.bearing(), new double[]{0.15, 0.42}, 0, List.of(), List.of(), List.of(), null, null, 0, 0));

        int d = 86;
        int c = 20;
        Random r = new Random(1);
        List<double[]> z = new ArrayList<>();
        List<double[]> ctx = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            z.add(r.doubles(d).map(v -> v * 2 - 1).toArray());
            ctx.add(r.doubles(c).toArray());
        }
        detector = AutoencoderDetector.fit(z, ctx, z.subList(0, 200), ctx.subList(0, 200),
                new AutoencoderDetector.Settings(43, 17, 1e-3, 64, 2, 2, 1e-5), 1, (e, m, t, v) -> { });
        z1 = new double[][]{z.get(0)};
        c1 = new double[][]{ctx.get(0)};
        z512 = z.subList(0, 512).toArray(double[][]::new);
        c512 = ctx.subList(0, 512).toArray(double[][]::new);
    }

    @Benchmark
    public Observation featuresOneSecondVibration() {
        return features.extract(0, 0, 0, window);
    }

    @Benchmark
    public Moments baselineOnePassMoments() {
        return Moments.of(window[0], 0, window[0].length);
    }

    @Benchmark
    public Detector.Scored[] scoreOneVector() {
        return detector.score(z1, c1);
    }

    @Benchmark
    public Detector.Scored[] scoreBatchOf512() {
        return detector.score(z512, c512);
    }
}
