package dev.vigil.model.quality;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingReader;
import dev.vigil.format.RecordingWriter;
import dev.vigil.model.SimulatedData;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.model.score.Scoring;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpec;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Progression;
import dev.vigil.sim.RobotSpec;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A robot's scores must not depend on where the window grid falls in its motion cycle (a real controller is on
 * nobody's grid), while reducer wear on any joint is still caught early and pinned on that joint. The default
 * simulated robot jitters its timing and pauses, as real programs do; `vigil train` chooses the windows.
 */
@Tag("functional")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class RobotCycleWindowsTest {
    private static final double LIFE_S = 8 * 3600;
    private static final double FAULT_RUN_S = 300;

    private Path tmp;
    private MachineSpec spec;
    private Path healthy;
    private Bundle bundle;

    @BeforeAll
    void train(@TempDir Path dir) throws Exception {
        tmp = dir;
        spec = MachineSpecs.defaults(MachineKind.ROBOT, "robot-c");
        healthy = SimulatedData.healthy(tmp.resolve("healthy"), spec, 900, 301);
        Path zip = tmp.resolve("robot.zip");
        new Trainer(TrainOptions.of(List.of(healthy)), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        bundle = Bundle.read(zip);
    }

    @Test
    void windowsSpanOneMotionCycleAndScoresDoNotDependOnWhereTheGridFalls() throws Exception {
        double cycle = bundle.model().spec().cycleSeconds();
        double hop = bundle.model().spec().hopSeconds();
        // the default program's cycle is 4 x (0.9 s move + 0.3 s dwell), timing jittered
        assertThat(cycle).as("motion cycle found in the joint positions").isCloseTo(4.8, within(0.1));
        assertThat(bundle.model().spec().windowSeconds()).as("window: room for a long cycle")
                .isGreaterThan(1.15 * cycle);
        assertThat(hop).isCloseTo(0.5 * cycle, within(0.1));

        Path hour = SimulatedData.healthy(tmp.resolve("hour"), spec, 3600, 302);
        List<Assessment> all = score(hour);
        assertThat(all.stream().filter(Assessment::alarm).count()).as("alarmed windows in a healthy hour").isZero();
        double aligned = meanSmoothed(all, 1200);
        for (double shift : new double[]{0.1, 0.25, 0.5, 0.75}) {
            // the first 20 minutes of the hour, the grid shifted by a fraction of a hop
            List<Assessment> a = score(shifted(hour, tmp.resolve("shift-" + shift), shift * hop, 1200));
            assertThat(a.stream().filter(Assessment::alarm).count()).as("alarmed windows at a shift of %s hop", shift)
                    .isZero();
            assertThat(meanSmoothed(a, 1200)).as("mean smoothed score at a shift of %s hop (aligned %.3f)", shift,
                    aligned).isCloseTo(aligned, within(0.1 * aligned));
        }
    }

    @Test
    void reducerWearOnEachJointIsCaughtEarlyAndPinnedOnThatJoint() throws Exception {
        for (int joint = 1; joint <= 6; joint++) {
            Assessment first = firstAlarm(FaultType.REDUCER_WEAR, joint, 400 + joint);
            assertThat(first.hypothesis().id()).as("j%d hypothesis", joint).isEqualTo("reducer-wear");
        }
    }

    @Test
    void backlashAndAMotorBearingDefectAreCaughtEarlyAndPinnedOnTheirJoint() throws Exception {
        // the hypothesis rules have no robot bearing or backlash signature yet: reducer wear is what they say
        firstAlarm(FaultType.JOINT_BEARING, 2, 501);
        firstAlarm(FaultType.BACKLASH, 5, 502);
    }

    @Test
    void anotherProgramIsReportedAsUnfamiliarNotScoredAsAFault() throws Exception {
        // three other waypoints (another cycle time), and four (the same cycle time through other poses)
        List<List<List<Double>>> programs = List.of(
                List.of(List.of(-60.0, 30.0, -40.0, -30.0, 45.0, -90.0), List.of(20.0, 15.0, -15.0, 10.0, 25.0, 45.0),
                        List.of(70.0, 40.0, -50.0, 40.0, 55.0, 120.0)),
                List.of(List.of(-80.0, 40.0, -60.0, -40.0, 50.0, -60.0), List.of(-20.0, 50.0, -70.0, 20.0, 70.0, 30.0),
                        List.of(-20.0, 35.0, -55.0, 20.0, 50.0, 30.0), List.of(-110.0, 45.0, -35.0, -50.0, 40.0, -100.0)));
        for (int p = 0; p < programs.size(); p++) {
            RobotSpec d = (RobotSpec) spec;
            List<List<Double>> waypoints = programs.get(p);
            RobotSpec other = d.withProgram(waypoints, 0, waypoints.size() - 1, d.timingJitter(), d.pausesPerHour(), 0);
            List<Assessment> a = score(SimulatedData.healthy(tmp.resolve("program-" + p), other, 300, 601 + p));

            assertThat(a.stream().filter(Assessment::alarm).count()).as("program %d: alarmed windows", p).isZero();
            long reported = a.stream().filter(x -> Double.isNaN(x.score()) && x.notes().stream()
                    .anyMatch(n -> n.startsWith("unfamiliar context") || n.startsWith("no complete cycle"))).count();
            assertThat(reported).as("program %d: windows reported as another program, of %d", p, a.size())
                    .isGreaterThan(9 * a.size() / 10);
        }
    }

    @Test
    void theSecondProgramIsNotScoredAsAFaultWhetherOrNotTheControllerSaysWhichRuns() throws Exception {
        RobotSpec d = (RobotSpec) spec;
        // the cell's second program (three other poses), run often here: about a fifth of the time, 10 switches
        RobotSpec often = d.withProgram(d.waypointsDeg(), d.pickWaypoint(), d.placeWaypoint(), d.timingJitter(),
                d.pausesPerHour(), 40);
        Path run = SimulatedData.healthy(tmp.resolve("second-program"), often, 600, 701);
        RecordingReader r = RecordingReader.open(run);
        float[] program = r.read("program", 0, (int) r.meta().channel("program").orElseThrow().samples());

        // with the controller's program tag: every window in program 2 is named unfamiliar context
        List<Assessment> tagged = score(bundle.model(), run);
        checkSecondProgramNotScored(tagged, program, "unfamiliar context: program = 2, never seen in training");

        // without it (a controller that does not say), the joint positions tell: the moves into and out of the
        // other program included (a half-second cycle match took one such move for an ordinary one and alarmed)
        Path untaggedTraining = withoutChannel(healthy, tmp.resolve("healthy-untagged"), "program");
        Path zip = tmp.resolve("robot-untagged.zip");
        new Trainer(TrainOptions.of(List.of(untaggedTraining)), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        List<Assessment> untagged = score(Bundle.read(zip).model(),
                withoutChannel(run, tmp.resolve("second-program-untagged"), "program"));
        checkSecondProgramNotScored(untagged, program, "no complete cycle");
    }

    private void checkSecondProgramNotScored(List<Assessment> a, float[] program, String note) {
        assertThat(a.stream().filter(Assessment::alarm).count()).as("alarmed windows").isZero();
        int second = 0;
        int secondScored = 0;
        int firstScored = 0;
        int first = 0;
        for (Assessment x : a) {
            // the program the controller ran for the whole window (10 Hz tag)
            int from = (int) Math.round(x.startS() * 10);
            int to = Math.min(program.length, from + (int) Math.round(bundle.model().spec().windowSeconds() * 10));
            boolean allSecond = from < to;
            boolean allFirst = from < to;
            for (int i = from; i < to; i++) {
                allSecond &= program[i] == 2;
                allFirst &= program[i] == 1;
            }
            if (allSecond) {
                second++;
                secondScored += Double.isNaN(x.score()) ? 0 : 1;
                assertThat(x.notes()).as("window at %.1f s (program 2)", x.startS()).anyMatch(n -> n.startsWith(note));
            } else if (allFirst) {
                first++;
                firstScored += Double.isNaN(x.score()) ? 0 : 1;
            }
        }
        assertThat(second).as("windows wholly in the second program").isGreaterThan(20);
        assertThat(secondScored).as("of them scored").isZero();
        assertThat(firstScored).as("windows wholly in the first program scored, of %d", first)
                .isGreaterThan(8 * first / 10);
    }

    /** The first alarm on a fault of one joint growing from a quarter of a run, checked early and on that joint. */
    private Assessment firstAlarm(FaultType type, int joint, long seed) throws IOException {
        Path worn = tmp.resolve(type.id() + "-j" + joint);
        Simulation.builder(spec).lifeDurationS(LIFE_S).speedup(LIFE_S / FAULT_RUN_S).seed(seed)
                .fault(new FaultSpec(type, LIFE_S / 4, 3 * LIFE_S / 4, Progression.EXPONENTIAL, 1, null, joint))
                .build().writeRecording(worn, b -> { });
        List<Assessment> a = score(worn);
        Assessment first = a.stream().filter(Assessment::alarm).findFirst().orElse(null);
        assertThat(first).as("j%d %s alarmed", joint, type.id()).isNotNull();
        // exponential growth (Progression.EXPONENTIAL) from a quarter of the run to full severity at its end,
        // read where the first alarmed window ends
        double end = first.startS() + bundle.model().spec().windowSeconds();
        double progress = (end / FAULT_RUN_S - 0.25) / 0.75;
        double severity = progress <= 0 ? 0 : Math.expm1(4 * progress) / Math.expm1(4);
        assertThat(progress).as("j%d: alarmed after the onset", joint).isPositive();
        assertThat(severity).as("j%d: severity at the first alarm", joint).isLessThan(0.5);
        assertThat(first.hypothesis().evidence().feature()).as("j%d %s: the joint named", joint, type.id())
                .startsWith("j" + joint + "_");
        return first;
    }

    private List<Assessment> score(Path recording) throws IOException {
        return score(bundle.model(), recording);
    }

    private static List<Assessment> score(Model model, Path recording) throws IOException {
        List<Assessment> out = new ArrayList<>();
        Scoring.run(model, recording, null, (o, a) -> out.add(a));
        return out;
    }

    /** The recording without one of its channels. */
    private static Path withoutChannel(Path source, Path target, String name) throws IOException {
        RecordingReader r = RecordingReader.open(source);
        List<ChannelMeta> kept = r.meta().channels().stream().filter(c -> !c.name().equals(name)).toList();
        RecordingMeta m = r.meta();
        try (RecordingWriter w = RecordingWriter.create(target, new RecordingMeta(m.formatVersion(), m.machineId(),
                m.kind(), m.start(), kept, m.bearing(), m.simulation()))) {
            for (int i = 0; i < kept.size(); i++) {
                w.append(i, r.read(kept.get(i).name(), 0, (int) kept.get(i).samples()));
            }
            w.finish(List.of());
        }
        return target;
    }

    private static double meanSmoothed(List<Assessment> a, double seconds) {
        return a.stream().filter(x -> x.startS() < seconds && !Double.isNaN(x.smoothed()))
                .mapToDouble(Assessment::smoothed).average().orElseThrow();
    }

    /**
     * Up to {@code duration} of the recording with its first {@code seconds} cut off: the window grid falls
     * elsewhere in the motion.
     */
    private static Path shifted(Path source, Path target, double seconds, double duration) throws IOException {
        RecordingReader r = RecordingReader.open(source);
        try (RecordingWriter w = RecordingWriter.create(target, r.meta())) {
            List<ChannelMeta> channels = r.meta().channels();
            for (int i = 0; i < channels.size(); i++) {
                ChannelMeta c = channels.get(i);
                long skip = Math.round(seconds * c.sampleRateHz());
                long keep = Math.min(c.samples() - skip, Math.round(duration * c.sampleRateHz()));
                float[] x = r.read(c.name(), skip, (int) keep);
                w.append(i, x);
            }
            w.finish(List.of());
        }
        return target;
    }
}
