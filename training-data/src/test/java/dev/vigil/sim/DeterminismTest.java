package dev.vigil.sim;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeterminismTest {

    private static Simulation sim(MachineSpec spec, long seed) {
        List<FaultSpec> faults = spec.kind() == MachineKind.CNC
                ? List.of(new FaultSpec(FaultType.BEARING_INNER, 10, 20, Progression.EXPONENTIAL, 1, null, 0),
                new FaultSpec(FaultType.SENSOR_SPIKES, 5, 0, Progression.STEP, 0.5, "accel_z", 0))
                : List.of(new FaultSpec(FaultType.REDUCER_WEAR, 10, 20, Progression.LINEAR, 1, null, 4),
                new FaultSpec(FaultType.SENSOR_DROPOUT, 5, 0, Progression.STEP, 0.4, "j1_current", 0));
        return Simulation.builder(spec).lifeDurationS(30).speedup(20).seed(seed).faults(faults).build();
    }

    private static void assertSameFiles(Path a, Path b) throws Exception {
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) {
                assertThat(Files.readAllBytes(b.resolve(f.getFileName()))).as(f.getFileName().toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalBytes(@TempDir Path tmp) throws Exception {
        for (MachineKind kind : MachineKind.values()) {
            MachineSpec spec = MachineSpecs.defaults(kind, "m");
            sim(spec, 42).writeRecording(tmp.resolve(kind.id() + "-a"), b -> { });
            sim(spec, 42).writeRecording(tmp.resolve(kind.id() + "-b"), b -> { });
            assertSameFiles(tmp.resolve(kind.id() + "-a"), tmp.resolve(kind.id() + "-b"));
        }
    }

    @Test
    void differentSeedGivesDifferentSignals(@TempDir Path tmp) throws Exception {
        MachineSpec spec = MachineSpecs.defaults(MachineKind.CNC, "m");
        sim(spec, 1).writeRecording(tmp.resolve("a"), b -> { });
        sim(spec, 2).writeRecording(tmp.resolve("b"), b -> { });
        assertThat(Files.readAllBytes(tmp.resolve("a/accel_x.f32"))).isNotEqualTo(Files.readAllBytes(tmp.resolve("b/accel_x.f32")));
    }
}
