package dev.vigil.cli;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.format.RecordingMeta;
import dev.vigil.sim.Durations;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.GatewayAggregator;
import dev.vigil.sim.MachineSpec;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil simulate}: writes one simulated machine's recording. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a CNC spindle or robot arm, optionally with faults, and write a waveform recording.",
                "Durations are machine-life time; with --speedup S the recording is S times shorter while faults "
                        + "grow as they would over the full duration.",
                "Example: vigil simulate --kind cnc --faults bearing-outer --onset 40m --duration 2h --speedup 60 "
                        + "--seed 7 --out rec/cnc-outer"})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--kind", defaultValue = "cnc", description = "Machine kind: cnc or robot (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--spec", description = "Machine spec file (YAML or JSON); overrides --kind. See FORMATS.md.")
    Path specFile;

    @Option(names = "--id", description = "Machine id (default: from the spec, or <kind>-1).")
    String id;

    @Option(names = "--faults", split = ",", paramLabel = "FAULT[:WHERE]",
            description = {"Faults to inject, comma separated: bearing-outer, bearing-inner, bearing-ball, imbalance, "
                    + "misalignment, looseness, tool-wear (cnc); reducer-wear[:jN], backlash[:jN], joint-bearing[:jN] (robot, joint N, default j2); "
                    + "sensor-dropout, sensor-stuck, sensor-spikes, sensor-clipping, sensor-gain-drift[:CHANNEL]."})
    List<String> faults = new ArrayList<>();

    @Option(names = "--onset", description = "Machine-life time at which the faults appear (default: a third of --duration).")
    String onset;

    @Option(names = "--ramp", description = "Machine-life time from onset to full severity (default: until the end).")
    String ramp;

    @Option(names = "--progression", description = "Severity growth: linear, exponential or step "
            + "(default: exponential for machine faults, step for sensor faults).")
    String progression;

    @Option(names = "--severity", defaultValue = "1.0", description = "Severity reached at the end of the ramp, (0, 1] (default: ${DEFAULT-VALUE}).")
    double severity;

    @Option(names = "--duration", defaultValue = "10m", description = "Machine-life time to simulate (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--speedup", defaultValue = "1", description = "Life seconds per recorded second (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed; same seed, same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", description = "Wall-clock time of the first sample, ISO-8601 (default: 2026-01-01T00:00:00Z).")
    String start;

    @Option(names = "--tabular", description = "Also write 1 Hz gateway aggregates with labels to this CSV file.")
    Path tabular;

    @Option(names = "--out", required = true, description = "Output directory of the recording.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Simulation sim = build();
        long blocks = sim.blockCount();
        RecordingMeta meta;
        if (quiet) {
            meta = sim.writeRecording(out, b -> { });
        } else {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("simulate").setInitialMax(blocks)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" s", (long) Math.round(1 / sim.spec().blockSeconds()))
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build()) {
                meta = sim.writeRecording(out, bar::stepTo);
            }
        }
        System.out.printf("wrote %s: %s %s, %.1f s recorded (%s of machine life at speed-up %s), %d channels, %d labels%n",
                out, meta.kind(), meta.machineId(), meta.durationS(), duration, trim(speedup), meta.channels().size(),
                sim.groundTruth().labels().size());
        if (tabular != null) {
            long rows = new GatewayAggregator(sim, 1.0).write(tabular);
            System.out.printf("wrote %s: %d rows of 1 Hz aggregates%n", tabular, rows);
        }
        return 0;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    Simulation build() throws java.io.IOException {
        MachineSpec spec = specFile != null ? MachineSpecs.load(specFile)
                : MachineSpecs.defaults(MachineKind.parse(kind), id != null ? id : MachineKind.parse(kind).id() + "-1");
        if (id != null && specFile != null && !id.equals(spec.id())) {
            throw new IllegalArgumentException("--id " + id + " conflicts with id '" + spec.id() + "' in " + specFile
                    + "; set one of them");
        }
        double life = Durations.parseSeconds(duration);
        double onsetS = onset == null ? life / 3 : Durations.parseSeconds(onset);
        if (onsetS >= life) {
            throw new IllegalArgumentException("--onset " + onset + " is not before the end of --duration " + duration);
        }
        double rampS = ramp == null ? life - onsetS : Durations.parseSeconds(ramp);
        Simulation.Builder b = Simulation.builder(spec).lifeDurationS(life).speedup(speedup).seed(seed);
        if (start != null) {
            try {
                b.start(Instant.parse(start));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start: expected an ISO-8601 instant such as 2026-01-01T00:00:00Z, got '"
                        + start + "'");
            }
        }
        for (String f : faults) {
            String[] parts = f.split(":", 2);
            FaultType type = FaultType.parse(parts[0]);
            String channel = null;
            int axis = 0;
            if (parts.length == 2) {
                if (type.isSensorFault()) {
                    channel = parts[1];
                } else if (type.isJointFault() && parts[1].matches("j\\d+")) {
                    axis = Integer.parseInt(parts[1].substring(1));
                } else {
                    throw new IllegalArgumentException("fault '" + f + "': only sensor faults take :CHANNEL and "
                            + "reducer-wear, backlash and joint-bearing take :jN");
                }
            }
            Progression p = progression != null ? Progression.parse(progression)
                    : type.isSensorFault() ? Progression.STEP : Progression.EXPONENTIAL;
            b.fault(new FaultSpec(type, onsetS, rampS, p, severity, channel, axis));
        }
        return b.build();
    }
}
