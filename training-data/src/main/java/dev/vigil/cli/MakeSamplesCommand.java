package dev.vigil.cli;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.GatewayAggregator;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vigil make-samples}: regenerates training-data/samples (a few MB, committed). */
@Command(name = "make-samples", mixinStandardHelpOptions = true,
        description = "Regenerate the committed sample set: short healthy and faulted recordings of each kind "
                + "and a 1 Hz tabular CSV of a faulted run. Deterministic: the same bytes every time.")
final class MakeSamplesCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "training-data/samples", description = "Target directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        CncSpec cnc = CncSpec.defaults("cnc-1");
        // 2 h of bearing life in 2 s of signal: onset at 40 min of life, 0.67 s into the recording
        write("cnc-healthy", Simulation.builder(cnc).lifeDurationS(2).seed(11).build());
        write("cnc-bearing-outer", Simulation.builder(cnc).lifeDurationS(7200).speedup(3600).seed(12)
                .fault(new FaultSpec(FaultType.BEARING_OUTER, 2400, 4800, Progression.EXPONENTIAL, 1, null, 0)).build());
        var robot = MachineSpecs.defaults(MachineKind.ROBOT, "robot-1");
        write("robot-healthy", Simulation.builder(robot).lifeDurationS(5).seed(21).build());
        // 30 days of reducer wear in 5 s of signal, onset after 10 days
        write("robot-reducer-wear", Simulation.builder(robot).lifeDurationS(30 * 86400.0).speedup(30 * 86400.0 / 5)
                .seed(22).fault(new FaultSpec(FaultType.REDUCER_WEAR, 10 * 86400, 20 * 86400, Progression.LINEAR, 1, null, 2))
                .build());
        // a gateway's 1 Hz export of 20 minutes of recording covering 8 h of bearing life
        Simulation tab = Simulation.builder(cnc).lifeDurationS(8 * 3600).speedup(24).seed(31)
                .fault(new FaultSpec(FaultType.BEARING_INNER, 2 * 3600, 6 * 3600, Progression.EXPONENTIAL, 1, null, 0))
                .build();
        Path csv = out.resolve("cnc-bearing-inner-1hz.csv");
        long rows = new GatewayAggregator(tab, 1.0).write(csv);
        System.out.printf("wrote %s (%d rows)%n", csv, rows);
        return 0;
    }

    private void write(String name, Simulation sim) throws java.io.IOException {
        Path dir = out.resolve(name);
        sim.writeRecording(dir, b -> { });
        System.out.printf("wrote %s (%.1f s, %d labels)%n", dir, sim.recordingSeconds(), sim.groundTruth().labels().size());
    }
}
