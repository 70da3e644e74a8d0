package dev.vigil.bench;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpecs;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.Iterator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of simulating one second of signal, all channels, on one thread. Real-time factor = 1000 ms divided by
 * the score. The baseline draws the same number of Gaussian samples as a CNC second (the floor any noisy
 * simulator pays), so the ratio shows what the physics adds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SimulatorBenchmark {
    private static final int CNC_SAMPLES_PER_SECOND = 3 * 25_600 + 3 * 10_000 + 5 * 10;

    private Iterator<SimBlock> cnc;
    private Iterator<SimBlock> cncFaulty;
    private Iterator<SimBlock> robot;
    private SplittableRandom rng;

    @Setup(Level.Trial)
    public void setUp() {
        var cncSpec = MachineSpecs.defaults(MachineKind.CNC, "bench-cnc");
        cnc = Simulation.builder(cncSpec).lifeDurationS(Double.POSITIVE_INFINITY).seed(1).build().blocks();
        cncFaulty = Simulation.builder(cncSpec).lifeDurationS(Double.POSITIVE_INFINITY).seed(1)
                .fault(new FaultSpec(FaultType.BEARING_INNER, 0, 0,
                        dev.vigil.sim.Progression.STEP, 1, null, 0))
                .fault(new FaultSpec(FaultType.LOOSENESS, 0, 0,
                        dev.vigil.sim.Progression.STEP, 1, null, 0))
                .build().blocks();
        robot = Simulation.builder(MachineSpecs.defaults(MachineKind.ROBOT, "bench-robot"))
                .lifeDurationS(Double.POSITIVE_INFINITY).seed(1).build().blocks();
        rng = new SplittableRandom(1);
    }

    private static void oneSecond(Iterator<SimBlock> blocks, Blackhole bh) {
        for (int i = 0; i < 10; i++) {
            bh.consume(blocks.next());
        }
    }

    @Benchmark
    public void baselineGaussianNoiseCncSampleCount(Blackhole bh) {
        float[] out = new float[CNC_SAMPLES_PER_SECOND];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        bh.consume(out);
    }

    @Benchmark
    public void cncHealthyOneSecond(Blackhole bh) {
        oneSecond(cnc, bh);
    }

    @Benchmark
    public void cncInnerRaceAndLoosenessOneSecond(Blackhole bh) {
        oneSecond(cncFaulty, bh);
    }

    @Benchmark
    public void robotOneSecond(Blackhole bh) {
        oneSecond(robot, bh);
    }
}
