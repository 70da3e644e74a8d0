package dev.vigil.model.feature;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.FaultType;
import dev.vigil.model.signal.Envelope;
import dev.vigil.model.signal.Spectrum;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Impacts ringing a structural resonance at a defect's rate, buried in broadband noise as loud as the impacts:
 * the defect's own line series must stand highest, although the envelope rises everywhere.
 */
class DefectLinesTest {
    private static final double RATE = 12_000;
    private static final double SHAFT_HZ = 29.95;

    @ParameterizedTest
    @EnumSource(value = FaultType.class, names = {"BEARING_OUTER", "BEARING_INNER", "BEARING_BALL"})
    void theDefectsOwnLineSeriesStandsHighest(FaultType fault) {
        BearingGeometry g = BearingGeometry.skf6205();
        double impactHz = switch (fault) {
            case BEARING_OUTER -> g.bpfoHz(SHAFT_HZ);
            case BEARING_INNER -> g.bpfiHz(SHAFT_HZ);
            default -> 2 * g.bsfHz(SHAFT_HZ);
        };
        float[] x = impacts(impactHz, fault == FaultType.BEARING_INNER ? SHAFT_HZ : fault == FaultType.BEARING_BALL
                ? g.ftfHz(SHAFT_HZ) : 0, 4096, new Random(7));
        Spectrum spectrum = new Spectrum(4096, RATE).compute(x, 0, 0);
        Spectrum envelope = new Envelope(spectrum, 0.15 * RATE, 0.42 * RATE).compute();

        Map<FaultType, Double> heights = DefectLines.of("accel", envelope, SHAFT_HZ, g).byFault();

        assertThat(heights).containsOnlyKeys(FaultType.BEARING_OUTER, FaultType.BEARING_INNER, FaultType.BEARING_BALL);
        FaultType highest = heights.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(highest).as("%s", heights).isEqualTo(fault);
        assertThat(heights.get(fault)).as("%s", heights).isGreaterThan(6);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void noiseAloneShowsNoClearLine(long seed) {
        float[] x = impacts(0, 0, 4096, new Random(seed));
        Spectrum spectrum = new Spectrum(4096, RATE).compute(x, 0, 0);
        Spectrum envelope = new Envelope(spectrum, 0.15 * RATE, 0.42 * RATE).compute();

        Map<FaultType, Double> heights = DefectLines.of("accel", envelope, SHAFT_HZ, BearingGeometry.skf6205()).byFault();

        assertThat(heights.values()).as("%s", heights).allSatisfy(db -> assertThat(db).isLessThan(6));
    }

    /** Decaying 3.5 kHz bursts at impactHz (0: none), amplitude-modulated at modHz (0: not), plus white noise. */
    private static float[] impacts(double impactHz, double modHz, int n, Random random) {
        float[] x = new float[n];
        double next = impactHz > 0 ? random.nextDouble() / impactHz : Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        while (next * RATE < n) {
            int at = (int) (next * RATE);
            double a = modHz > 0 ? 1 + 0.8 * Math.cos(2 * Math.PI * modHz * next) : 1;
            for (int k = 0; at + k < n && k < 120; k++) {
                x[at + k] += (float) (3 * a * Math.exp(-k / 20.0) * Math.sin(2 * Math.PI * 3500 * k / RATE));
            }
            // rolling elements slip: impacts are not exactly periodic
            next += (1 + 0.01 * random.nextGaussian()) / impactHz;
        }
        return x;
    }
}
