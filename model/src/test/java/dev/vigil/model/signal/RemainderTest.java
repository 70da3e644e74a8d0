package dev.vigil.model.signal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Spectrum#remainder} gives Java's {@code %} bit for bit, where the bands read it: bins against orders. */
class RemainderTest {

    @Property(tries = 2000)
    void sameBitsAsJavasRemainder(@ForAll @DoubleRange(min = 0, max = 1e5) @Scale(9) double f,
                                  @ForAll @DoubleRange(min = 1e-3, max = 1e3) @Scale(9) double spacing) {
        assertThat(Double.doubleToRawLongBits(Spectrum.remainder(f, spacing, 1 / spacing)))
                .isEqualTo(Double.doubleToRawLongBits(f % spacing));
    }

    @Property(tries = 200)
    void binsAgainstHalfOrders(@ForAll @IntRange(min = 1, max = 20_000) int bins,
                               @ForAll @DoubleRange(min = 1, max = 500) double shaftHz,
                               @ForAll @IntRange(min = 10, max = 16) int log2Size) {
        double binHz = 25_600.0 / (1 << log2Size);
        double spacing = shaftHz / 2;
        for (int k = 1; k <= bins; k += 7) {
            double f = k * binHz;
            assertThat(Spectrum.remainder(f, spacing, 1 / spacing)).isEqualTo(f % spacing);
        }
        // on a multiple exactly, where the division's rounding decides the quotient
        for (int m = 1; m < 200; m++) {
            double f = m * spacing;
            assertThat(Double.doubleToRawLongBits(Spectrum.remainder(f, spacing, 1 / spacing)))
                    .isEqualTo(Double.doubleToRawLongBits(f % spacing));
        }
    }
}
