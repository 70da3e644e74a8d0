package dev.vigil.sim;

import dev.vigil.domain.BearingGeometry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BearingGeometryTest {

    @Test
    void textbook6205At1500Rpm() {
        BearingGeometry b = BearingGeometry.skf6205();
        double fr = 1500 / 60.0;
        assertThat(b.ftfHz(fr)).isCloseTo(9.96, within(0.05));
        assertThat(b.bpfoHz(fr)).isCloseTo(89.6, within(0.4));
        assertThat(b.bpfiHz(fr)).isCloseTo(135.4, within(0.4));
        assertThat(b.bsfHz(fr)).isCloseTo(59.0, within(0.4));
        assertThat(b.bpfoOrder() + b.bpfiOrder()).as("BPFO + BPFI = N x shaft rate").isCloseTo(9, within(1e-12));
    }

    @Test
    void rejectsImpossibleGeometry() {
        assertThatThrownBy(() -> new BearingGeometry(9, 40, 39, 0)).hasMessageContaining("ballDiameterMm < pitchDiameterMm");
        assertThatThrownBy(() -> new BearingGeometry(2, 7, 39, 0)).hasMessageContaining("balls");
    }
}
