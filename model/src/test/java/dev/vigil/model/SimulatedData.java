package dev.vigil.model;

import dev.vigil.domain.FaultType;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;

import java.io.IOException;
import java.nio.file.Path;

/** Test recordings generated from seeds by the real simulator. */
public final class SimulatedData {
    private SimulatedData() {
    }

    public static Path healthy(Path dir, MachineSpec spec, double seconds, long seed) throws IOException {
        Simulation.builder(spec).lifeDurationS(seconds).seed(seed).build().writeRecording(dir, b -> { });
        return dir;
    }

    /** A fault with exponential growth from a quarter of the run, the run compressed to {@code seconds}. */
    public static Path faulty(Path dir, MachineSpec spec, FaultType type, double lifeS, double seconds, long seed)
            throws IOException {
        Simulation.builder(spec).lifeDurationS(lifeS).speedup(lifeS / seconds).seed(seed)
                .fault(new FaultSpec(type, lifeS / 4, 3 * lifeS / 4, Progression.EXPONENTIAL, 1, null, 0))
                .build().writeRecording(dir, b -> { });
        return dir;
    }
}
