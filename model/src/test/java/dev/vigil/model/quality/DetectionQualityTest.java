package dev.vigil.model.quality;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.model.SimulatedData;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.eval.Evaluation;
import dev.vigil.model.eval.Metrics;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpec;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quality bar on simulator data generated here from seeds (nothing tuned per file): train the default
 * detector on healthy runs, then every machine fault must be detected before its severity reaches half of the
 * failure level, with the right hypothesis, and healthy running (with the program's speed, load and tool
 * changes) and sensor faults must raise no machine alarm.
 */
@Tag("functional")
@Tag("slow")
class DetectionQualityTest {
    private static final double LIFE_S = 8 * 3600;
    private static final double FAULT_RUN_S = 300;

    @TempDir
    Path tmp;

    private Bundle train(MachineSpec spec, double seconds, long... seeds) throws Exception {
        List<Path> healthy = new ArrayList<>();
        for (long s : seeds) {
            healthy.add(SimulatedData.healthy(tmp.resolve(spec.id() + "-healthy-" + s), spec, seconds, s));
        }
        Path zip = tmp.resolve(spec.id() + ".zip");
        new Trainer(TrainOptions.of(healthy).withSeed(11), (e, m, t, v) -> { }, msg -> { }).trainTo(zip);
        return Bundle.read(zip);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> events(Evaluation e) {
        return (Map<String, Object>) e.summary().get("events");
    }

    @Test
    void cncFaultsAreCaughtEarlyWithTheRightHypothesisAndHealthyRunningStaysQuiet() throws Exception {
        MachineSpec spec = CncSpec.defaults("cnc-q");
        Bundle bundle = train(spec, 900, 101, 102);
        List<Path> faulty = new ArrayList<>();
        long seed = 200;
        for (FaultType f : List.of(FaultType.BEARING_OUTER, FaultType.BEARING_INNER, FaultType.BEARING_BALL,
                FaultType.IMBALANCE, FaultType.MISALIGNMENT, FaultType.LOOSENESS, FaultType.TOOL_WEAR)) {
            faulty.add(SimulatedData.faulty(tmp.resolve(f.id()), spec, f, LIFE_S, FAULT_RUN_S, seed++));
        }
        Evaluation e = Evaluation.run(bundle, faulty, null);
        Map<String, Object> ev = events(e);
        List<Map<String, Object>> list = (List<Map<String, Object>>) ev.get("list");
        list.forEach(x -> System.out.printf("%-14s detected=%s severity=%.3f delay=%.0fs hypothesis=%s (at detection %s)%n",
                x.get("fault"), x.get("detected"), x.get("severityAtDetection"), x.get("delayS"), x.get("hypothesis"),
                x.get("hypothesisAtDetection")));
        assertThat(list).hasSize(7);
        assertThat((double) ev.get("recall")).isGreaterThanOrEqualTo(0.95);
        assertThat(list).allSatisfy(x -> assertThat((double) x.get("severityAtDetection")).as(x.get("fault") + " detected early")
                .isLessThan(0.5));
        assertThat((double) ev.get("hypothesisAccuracy")).isGreaterThanOrEqualTo(0.9);
        assertThat((long) ev.get("falseAlarms")).as("alarms before the onsets").isZero();

        // an hour of healthy running of the same machine, new noise: no alarm at all
        Path healthy = SimulatedData.healthy(tmp.resolve("cnc-healthy-test"), spec, 3600, 300);
        Metrics m = new Metrics();
        long[] alarms = new long[1];
        dev.vigil.model.score.Scoring.run(bundle.model(), healthy, null, (lo, a) -> {
            alarms[0] += a.alarm() ? 1 : 0;
        });
        System.out.printf("healthy hour: %d alarmed windows%n", alarms[0]);
        assertThat(alarms[0]).isZero();
        assertThat(m).isNotNull();

        // sensor faults are reported as such and never raise a machine alarm
        Path sensors = tmp.resolve("sensors");
        Simulation.builder(spec).lifeDurationS(600).seed(301)
                .fault(new FaultSpec(FaultType.SENSOR_DROPOUT, 120, 0, Progression.STEP, 0.4, "accel_y", 0))
                .fault(new FaultSpec(FaultType.SENSOR_SPIKES, 300, 0, Progression.STEP, 1, "accel_x", 0))
                .fault(new FaultSpec(FaultType.SENSOR_STUCK, 450, 0, Progression.STEP, 1, "current_v", 0))
                .build().writeRecording(sensors, b -> { });
        long[] counts = new long[2];
        dev.vigil.model.score.Scoring.run(bundle.model(), sensors, null, (lo, a) -> {
            counts[0] += a.alarm() ? 1 : 0;
            counts[1] += a.sensorIssue() != null ? 1 : 0;
        });
        System.out.printf("sensor faults: %d windows flagged as sensor problems, %d machine alarms%n", counts[1], counts[0]);
        assertThat(counts[1]).isGreaterThan(100);
        assertThat(counts[0]).isZero();
    }

    @Test
    void robotReducerWearIsCaughtEarly() throws Exception {
        MachineSpec spec = MachineSpecs.defaults(MachineKind.ROBOT, "robot-q");
        Bundle bundle = train(spec, 600, 111, 112);
        Path worn = tmp.resolve("reducer");
        Simulation.builder(spec).lifeDurationS(LIFE_S).speedup(LIFE_S / FAULT_RUN_S).seed(210)
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, LIFE_S / 4, 3 * LIFE_S / 4, Progression.EXPONENTIAL, 1, null, 3))
                .build().writeRecording(worn, b -> { });
        Evaluation e = Evaluation.run(bundle, List.of(worn), null);
        Map<String, Object> ev = events(e);
        List<Map<String, Object>> list = (List<Map<String, Object>>) ev.get("list");
        list.forEach(x -> System.out.printf("%-14s detected=%s severity=%.3f hypothesis=%s%n", x.get("fault"),
                x.get("detected"), x.get("severityAtDetection"), x.get("hypothesis")));
        assertThat(list).singleElement().satisfies(x -> {
            assertThat(x.get("detected")).isEqualTo(true);
            assertThat((double) x.get("severityAtDetection")).isLessThan(0.5);
            assertThat(x.get("hypothesis")).isEqualTo("reducer-wear");
        });
        assertThat((long) ev.get("falseAlarms")).isZero();
    }
}
