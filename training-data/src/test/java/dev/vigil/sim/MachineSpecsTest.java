package dev.vigil.sim;

import dev.vigil.format.DatasetFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineSpecsTest {

    @Test
    void yamlOverridesOnlyWhatItNames(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("spindle.yaml");
        Files.writeString(f, """
                kind: cnc
                id: dmg-5axis-03
                accelRateHz: 51200
                bearing:
                  balls: 15
                steps:
                  - {mode: cut, rpm: 8000, loadPct: 60, seconds: 20, tool: 4}
                  - {mode: idle, rpm: 0, loadPct: 0, seconds: 5, tool: 4}
                """);
        CncSpec spec = (CncSpec) MachineSpecs.load(f);
        CncSpec defaults = CncSpec.defaults("x");
        assertThat(spec.id()).isEqualTo("dmg-5axis-03");
        assertThat(spec.accelRateHz()).isEqualTo(51_200);
        assertThat(spec.bearing().balls()).isEqualTo(15);
        assertThat(spec.bearing().pitchDiameterMm()).isEqualTo(defaults.bearing().pitchDiameterMm());
        assertThat(spec.currentRateHz()).isEqualTo(defaults.currentRateHz());
        assertThat(spec.steps()).hasSize(2);
        assertThat(spec.steps().get(0).mode()).isEqualTo(ProgramStep.Mode.CUT);
    }

    @Test
    void jsonRobotSpecWorksToo(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("robot.json");
        Files.writeString(f, "{\"kind\": \"robot\", \"moveSeconds\": 1.5, \"payloadsKg\": [1, 10]}");
        RobotSpec spec = (RobotSpec) MachineSpecs.load(f);
        assertThat(spec.id()).isEqualTo("robot-1");
        assertThat(spec.moveSeconds()).isEqualTo(1.5);
        assertThat(spec.payloadsKg()).containsExactly(1.0, 10.0);
        assertThat(spec.axes()).hasSize(6);
    }

    @Test
    void mistakesAreNamed(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "kind: cnc\nbearing:\n  bals: 9\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("unknown field 'bearing.bals'").hasMessageContaining("balls");

        Files.writeString(f, "kind: cnc\naccelRateHz: 25601\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).hasMessageContaining("accelRateHz")
                .hasMessageContaining("whole number of samples");

        Files.writeString(f, "kind: cnc\naccelRateHz: fast\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).hasMessageContaining("accelRateHz");

        Files.writeString(f, "kind: lathe\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).hasMessageContaining("unknown machine kind 'lathe'");

        Files.writeString(f, "kind: cnc\n  bearing: [\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).hasMessageContaining("bad.yaml:").hasMessageContaining("invalid YAML");

        Files.writeString(f, "kind: cnc\nresonanceHz: [5000, 20000, 6000]\n");
        assertThatThrownBy(() -> MachineSpecs.load(f)).hasMessageContaining("below Nyquist");
    }
}
