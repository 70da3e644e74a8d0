package dev.vigil.model.explain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ISO 10816-3 boundaries, usable before any model exists. */
class IsoZoneTest {

    @Test
    void boundariesOfGroup2Rigid() {
        IsoZone.MachineClass c = IsoZone.MachineClass.parse("group2-rigid");
        assertThat(c.zone(1.0)).isEqualTo(IsoZone.A);
        assertThat(c.zone(1.4)).isEqualTo(IsoZone.B);
        assertThat(c.zone(2.8)).isEqualTo(IsoZone.C);
        assertThat(c.zone(4.49)).isEqualTo(IsoZone.C);
        assertThat(c.zone(4.5)).isEqualTo(IsoZone.D);
        assertThat(IsoZone.D.meaning()).contains("damage");
    }

    @Test
    void smallMachinesAndUnknownClasses() {
        assertThat(IsoZone.MachineClass.SMALL.zone(2.0)).isEqualTo(IsoZone.C);
        assertThatThrownBy(() -> IsoZone.MachineClass.parse("group3")).hasMessageContaining("group2-rigid");
    }
}
