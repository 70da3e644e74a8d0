package dev.vigil.sim;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.format.Label;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GroundTruthTest {

    private static Simulation compressed() {
        // 2 h of life at speed-up 60: a 120 s recording, onset at 40 min of life = 40 s of recording
        return Simulation.builder(CncSpec.defaults("cnc-g")).lifeDurationS(7200).speedup(60).seed(7)
                .fault(new FaultSpec(FaultType.BEARING_OUTER, 2400, 4800, Progression.EXPONENTIAL, 1, null, 0))
                .fault(new FaultSpec(FaultType.SENSOR_DROPOUT, 6000, 0, Progression.STEP, 0.5, "current_v", 0))
                .build();
    }

    @Test
    void speedupCompressesLifeIntoTheRecording() {
        Simulation s = compressed();
        assertThat(s.recordingSeconds()).isCloseTo(120, within(1e-9));
        assertThat(s.blockCount()).isEqualTo(1200);
    }

    @Test
    void labelsStartAtTheOnsetAndSeverityOnlyGrows() {
        List<Label> labels = compressed().groundTruth().labels();
        List<Label> bearing = labels.stream().filter(l -> l.fault().equals("bearing-outer")).toList();
        assertThat(bearing.get(0).startS()).isEqualTo(40.0);
        assertThat(bearing.get(bearing.size() - 1).endS()).isCloseTo(120, within(1e-9));
        for (int i = 1; i < bearing.size(); i++) {
            assertThat(bearing.get(i).startS()).isCloseTo(bearing.get(i - 1).endS(), within(1e-9));
            assertThat(bearing.get(i).severity()).isGreaterThanOrEqualTo(bearing.get(i - 1).severity());
        }
        assertThat(bearing.get(bearing.size() - 1).severity()).isGreaterThan(0.95);
        assertThat(bearing).allSatisfy(l -> assertThat(l.category()).isEqualTo(Label.MACHINE));

        List<Label> dropout = labels.stream().filter(l -> l.fault().equals("sensor-dropout")).toList();
        assertThat(dropout).singleElement().satisfies(l -> {
            assertThat(l.startS()).isEqualTo(100.0);
            assertThat(l.severity()).isEqualTo(0.5);
            assertThat(l.category()).isEqualTo(Label.SENSOR);
            assertThat(l.channel()).isEqualTo("current_v");
        });
    }

    @Test
    void windowLabelsCanBeDerivedForAnyWindow() {
        GroundTruth truth = compressed().groundTruth();
        assertThat(truth.labelsFor(0, 39.9)).isEmpty();
        assertThat(truth.labelsFor(39.5, 40.5)).singleElement().satisfies(l -> {
            assertThat(l.type()).isEqualTo(FaultType.BEARING_OUTER);
            assertThat(l.severity()).isGreaterThan(0).isLessThan(0.01);
        });
        List<GroundTruth.WindowLabel> late = truth.labelsFor(110, 110.5);
        assertThat(late).extracting(GroundTruth.WindowLabel::type)
                .containsExactlyInAnyOrder(FaultType.BEARING_OUTER, FaultType.SENSOR_DROPOUT);
        assertThat(late).filteredOn(GroundTruth.WindowLabel::isSensorFault).singleElement()
                .extracting(GroundTruth.WindowLabel::location).isEqualTo("current_v");
    }

    @Test
    void physicsFollowsTheLabels() {
        Simulation s = Simulation.builder(CncSpec.defaults("cnc-g").withConstantSpeed(6000, 50)).lifeDurationS(4)
                .seed(3).fault(new FaultSpec(FaultType.IMBALANCE, 2, 0, Progression.STEP, 1, null, 0)).build();
        float[] x = Signals.collect(s, "accel_x");
        int rate = 25_600;
        int n = 16_384;
        double before = Spectra.peak(Spectra.amplitude(x, 2 * rate - n, n), rate, n, 99, 101);
        double after = Spectra.peak(Spectra.amplitude(x, 2 * rate + rate / 10, n), rate, n, 99, 101);
        assertThat(after / before).as("1x before and after the imbalance onset at 2 s").isGreaterThan(8);
    }

    @Test
    void robotFaultsCarryTheirJoint() {
        Simulation s = Simulation.builder(MachineSpecs.defaults(MachineKind.ROBOT, "r")).lifeDurationS(1)
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, 0, 1, Progression.LINEAR, 1, null, 3)).build();
        assertThat(s.groundTruth().labels()).allSatisfy(l -> assertThat(l.channel()).isEqualTo("j3"));
    }

    @Test
    void faultsThatDoNotFitTheMachineAreRejected() {
        assertThatThrownBy(() -> Simulation.builder(CncSpec.defaults("c"))
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, 0, 1, Progression.LINEAR, 1, null, 0)).build())
                .hasMessageContaining("reducer-wear does not apply to a cnc machine");
        assertThatThrownBy(() -> Simulation.builder(MachineSpecs.defaults(MachineKind.ROBOT, "r"))
                .fault(new FaultSpec(FaultType.REDUCER_WEAR, 0, 1, Progression.LINEAR, 1, null, 9)).build())
                .hasMessageContaining("axis 9 outside 1..6");
        assertThatThrownBy(() -> new FaultSpec(FaultType.IMBALANCE, -1, 1, Progression.LINEAR, 1, null, 0))
                .hasMessageContaining("onset");
    }
}
