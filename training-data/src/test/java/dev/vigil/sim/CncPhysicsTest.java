package dev.vigil.sim;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.FaultType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * What a vibration analyst would check on the simulated spindle's spectra. A constant-speed cutting program
 * (6,000 rpm, 50 % load) keeps the lines still; 65,536-point FFTs at 25.6 kHz give 0.39 Hz bins.
 */
class CncPhysicsTest {
    private static final double RPM = 6000;
    private static final double FR = RPM / 60;
    private static final double RATE = 25_600;
    private static final int N = 65_536;
    private static final CncSpec SPEC = CncSpec.defaults("cnc-t").withConstantSpeed(RPM, 50);
    private static final BearingGeometry BEARING = SPEC.bearing();

    private static Simulation run(FaultType fault, double severity, long seed) {
        Simulation.Builder b = Simulation.builder(SPEC).lifeDurationS(3.2).seed(seed);
        if (fault != null) {
            b.fault(new FaultSpec(fault, 0, 0, Progression.STEP, severity, null, 0));
        }
        return b.build();
    }

    /** The last N samples of a channel: the spindle is at speed and the structure has settled. */
    private static float[] tail(Simulation s, String channel) {
        float[] x = Signals.collect(s, channel);
        return java.util.Arrays.copyOfRange(x, x.length - N, x.length);
    }

    private static double[] envelope(Simulation s) {
        // band around the three structural modes (5.2, 5.8, 6.6 kHz) where the impacts ring
        return Spectra.envelope(tail(s, "accel_x"), 0, N, RATE, 4_000, 8_000);
    }

    /** Peak of the envelope spectrum within the slip band below a kinematic line (and one bin above it). */
    private static double lineInSlipBand(double[] env, double hz) {
        return Spectra.peak(env, RATE, N, hz * 0.97 - 0.4, hz * 1.0 + 0.4);
    }

    @Test
    void outerRaceDefectShowsAtBpfoInTheEnvelopeSpectrum() {
        double bpfo = BEARING.bpfoHz(FR);
        double[] env = envelope(run(FaultType.BEARING_OUTER, 0.3, 5));
        double peakHz = Spectra.peakHz(env, RATE, N, 0.5 * bpfo, 1.5 * bpfo);
        double floor = Spectra.floor(env, RATE, N, 20, 3 * bpfo);

        assertThat(peakHz).as("dominant envelope line near BPFO = %.1f Hz", bpfo)
                .isBetween(bpfo * 0.97 - 0.4, bpfo + 0.4);
        assertThat(lineInSlipBand(env, bpfo) / floor).isGreaterThan(30);
        assertThat(lineInSlipBand(env, 2 * bpfo) / floor).as("a growing defect adds harmonics").isGreaterThan(10);
    }

    @Test
    void innerRaceDefectShowsAtBpfiWithShaftRateSidebands() {
        double bpfi = BEARING.bpfiHz(FR);
        double[] env = envelope(run(FaultType.BEARING_INNER, 0.5, 6));
        double floor = Spectra.floor(env, RATE, N, 20, 3 * bpfi);
        double lineHz = Spectra.peakHz(env, RATE, N, bpfi * 0.97 - 0.4, bpfi + 0.4);

        assertThat(Spectra.peak(env, RATE, N, lineHz - 0.5, lineHz + 0.5) / floor).isGreaterThan(30);
        double lower = Spectra.peak(env, RATE, N, lineHz - FR - 1, lineHz - FR + 1);
        double upper = Spectra.peak(env, RATE, N, lineHz + FR - 1, lineHz + FR + 1);
        assertThat(lower / floor).as("sideband at BPFI - fr").isGreaterThan(10);
        assertThat(upper / floor).as("sideband at BPFI + fr").isGreaterThan(10);
        assertThat(Spectra.peak(env, RATE, N, FR - 0.5, FR + 0.5) / floor).as("load-zone modulation at 1x").isGreaterThan(10);
    }

    @Test
    void ballDefectShowsAtTwiceBallSpinWithCageSidebands() {
        double bsf2 = 2 * BEARING.bsfHz(FR);
        double ftf = BEARING.ftfHz(FR);
        double[] env = envelope(run(FaultType.BEARING_BALL, 0.6, 7));
        double floor = Spectra.floor(env, RATE, N, 20, 3 * bsf2);
        double lineHz = Spectra.peakHz(env, RATE, N, bsf2 * 0.97 - 0.4, bsf2 + 0.4);

        assertThat(Spectra.peak(env, RATE, N, lineHz - 0.5, lineHz + 0.5) / floor).isGreaterThan(20);
        assertThat(Spectra.peak(env, RATE, N, lineHz - ftf - 1, lineHz - ftf + 1) / floor).isGreaterThan(5);
        assertThat(Spectra.peak(env, RATE, N, lineHz + ftf - 1, lineHz + ftf + 1) / floor).isGreaterThan(5);
    }

    @Test
    void healthySpindleHasNoBearingLinesAboveTheNoiseFloor() {
        double[] env = envelope(run(null, 0, 5));
        double floor = Spectra.floor(env, RATE, N, 20, 2_500);
        for (double hz : new double[]{BEARING.bpfoHz(FR), BEARING.bpfiHz(FR), 2 * BEARING.bsfHz(FR)}) {
            assertThat(lineInSlipBand(env, hz) / floor).as("envelope at %.1f Hz", hz).isLessThan(6);
        }
    }

    @Test
    void imbalanceRaisesOneTimesRunningSpeedOnly() {
        double[] healthy = Spectra.amplitude(tail(run(null, 0, 8), "accel_x"), 0, N);
        double[] faulty = Spectra.amplitude(tail(run(FaultType.IMBALANCE, 0.6, 8), "accel_x"), 0, N);

        double h1 = Spectra.peak(healthy, RATE, N, FR - 1, FR + 1);
        double f1 = Spectra.peak(faulty, RATE, N, FR - 1, FR + 1);
        double h2 = Spectra.peak(healthy, RATE, N, 2 * FR - 1, 2 * FR + 1);
        double f2 = Spectra.peak(faulty, RATE, N, 2 * FR - 1, 2 * FR + 1);
        assertThat(h1 / Spectra.floor(healthy, RATE, N, 20, 1000)).as("a healthy spindle still has residual 1x").isGreaterThan(10);
        assertThat(f1 / h1).isGreaterThan(5);
        assertThat(f2 / h2).isBetween(0.8, 1.25);
    }

    @Test
    void misalignmentRaisesTwoTimesAndAxialVibration() {
        Simulation healthy = run(null, 0, 9);
        Simulation faulty = run(FaultType.MISALIGNMENT, 0.6, 9);
        double[] hx = Spectra.amplitude(tail(healthy, "accel_x"), 0, N);
        double[] fx = Spectra.amplitude(tail(faulty, "accel_x"), 0, N);
        double[] hz = Spectra.amplitude(tail(healthy, "accel_z"), 0, N);
        double[] fz = Spectra.amplitude(tail(faulty, "accel_z"), 0, N);

        assertThat(Spectra.peak(fx, RATE, N, 2 * FR - 1, 2 * FR + 1) / Spectra.peak(hx, RATE, N, 2 * FR - 1, 2 * FR + 1))
                .isGreaterThan(4);
        assertThat(Spectra.peak(fz, RATE, N, 2 * FR - 1, 2 * FR + 1) / Spectra.peak(hz, RATE, N, 2 * FR - 1, 2 * FR + 1))
                .as("axial 2x").isGreaterThan(10);
        assertThat(Spectra.peak(fz, RATE, N, FR - 1, FR + 1) / Spectra.peak(hz, RATE, N, FR - 1, FR + 1))
                .as("axial 1x").isGreaterThan(5);
        // on a misaligned shaft the axial 2x is comparable to the radial one
        assertThat(Spectra.peak(fz, RATE, N, 2 * FR - 1, 2 * FR + 1))
                .isGreaterThan(0.5 * Spectra.peak(fx, RATE, N, 2 * FR - 1, 2 * FR + 1));
    }

    @Test
    void loosenessAddsAHarmonicSeriesAndHalfOrders() {
        double[] healthy = Spectra.amplitude(tail(run(null, 0, 10), "accel_y"), 0, N);
        double[] faulty = Spectra.amplitude(tail(run(FaultType.LOOSENESS, 0.6, 10), "accel_y"), 0, N);
        double floor = Spectra.floor(faulty, RATE, N, 20, 1500);
        // 3x and 6x are also the tooth-pass lines of the 3-flute cutter, present on a healthy spindle while cutting
        for (int k : new int[]{4, 5, 7, 8, 9}) {
            double f = Spectra.peak(faulty, RATE, N, k * FR - 1, k * FR + 1);
            assertThat(f / floor).as("%dx", k).isGreaterThan(20);
            assertThat(f / Spectra.peak(healthy, RATE, N, k * FR - 1, k * FR + 1)).as("%dx vs healthy", k).isGreaterThan(5);
        }
        for (double order : new double[]{0.5, 1.5, 2.5}) {
            double f = Spectra.peak(faulty, RATE, N, order * FR - 1, order * FR + 1);
            assertThat(f / floor).as("%.1fx", order).isGreaterThan(20);
        }
    }

    @Test
    void oneTimesFollowsSpindleSpeed() {
        CncSpec slow = CncSpec.defaults("cnc-t").withConstantSpeed(9000, 50);
        Simulation s = Simulation.builder(slow).lifeDurationS(3.2).seed(1)
                .fault(new FaultSpec(FaultType.IMBALANCE, 0, 0, Progression.STEP, 0.5, null, 0)).build();
        double[] amp = Spectra.amplitude(tail(s, "accel_x"), 0, N);
        assertThat(Spectra.peakHz(amp, RATE, N, 20, 1000)).isCloseTo(150, within(0.5));
    }

    @Test
    void toolWearRaisesCuttingCurrentAndOpensAChatterBand() {
        Simulation healthy = run(null, 0, 11);
        Simulation worn = run(FaultType.TOOL_WEAR, 0.8, 11);
        float[] ih = Signals.collect(healthy, "current_u");
        float[] iw = Signals.collect(worn, "current_u");
        int from = ih.length / 2;
        assertThat(Signals.rms(iw, from, ih.length) / Signals.rms(ih, from, ih.length)).isGreaterThan(1.2);

        double[] h = Spectra.amplitude(tail(healthy, "accel_x"), 0, N);
        double[] w = Spectra.amplitude(tail(worn, "accel_x"), 0, N);
        double chatter = SPEC.chatterHz();
        double bandH = 0;
        double bandW = 0;
        for (int k = Spectra.bin(chatter - 100, RATE, N); k <= Spectra.bin(chatter + 100, RATE, N); k++) {
            bandH += h[k] * h[k];
            bandW += w[k] * w[k];
        }
        assertThat(bandW / bandH).as("energy in the chatter band").isGreaterThan(10);
    }

    @Test
    void currentFundamentalIsTheDriveFrequencyWithEccentricitySidebands() {
        Simulation healthy = Simulation.builder(SPEC).lifeDurationS(4).seed(12).build();
        Simulation unbalanced = Simulation.builder(SPEC).lifeDurationS(4).seed(12)
                .fault(new FaultSpec(FaultType.IMBALANCE, 0, 0, Progression.STEP, 0.8, null, 0)).build();
        float[] supply = Signals.collect(healthy, "supply_hz");
        double fe = supply[supply.length - 1];
        assertThat(fe).as("2 pole pairs at 100 Hz shaft rate plus slip").isBetween(2 * FR * 1.005, 2 * FR * 1.03);

        int n = 32_768; // 3.3 s at 10 kHz
        float[] ih = Signals.collect(healthy, "current_u");
        float[] iu = Signals.collect(unbalanced, "current_u");
        double[] h = Spectra.amplitude(ih, ih.length - n, n);
        double[] u = Spectra.amplitude(iu, iu.length - n, n);
        double rate = 10_000;
        assertThat(Spectra.peakHz(h, rate, n, 10, 4000)).isCloseTo(fe, within(0.7));
        double fund = Spectra.peak(h, rate, n, fe - 1, fe + 1);
        double side = Spectra.peak(h, rate, n, fe - FR - 1, fe - FR + 1);
        double db = 20 * Math.log10(side / fund);
        assertThat(db).as("healthy eccentricity sideband relative to the fundamental").isBetween(-60.0, -40.0);
        double sideU = Spectra.peak(u, rate, n, fe + FR - 1, fe + FR + 1);
        assertThat(sideU / Spectra.peak(h, rate, n, fe + FR - 1, fe + FR + 1)).isGreaterThan(4);
        assertThat(Spectra.peak(h, rate, n, 5 * fe - 2, 5 * fe + 2) / fund).as("5th harmonic of the drive").isBetween(0.01, 0.05);
    }

    @Test
    void threePhasesAreBalancedAndShiftedBy120Degrees() {
        Simulation s = run(null, 0, 13);
        float[] u = Signals.collect(s, "current_u");
        float[] v = Signals.collect(s, "current_v");
        float[] w = Signals.collect(s, "current_w");
        int from = u.length - 10_000;
        double sum = 0;
        for (int i = from; i < u.length; i++) {
            double t = u[i] + v[i] + w[i];
            sum += t * t;
        }
        double residual = Math.sqrt(sum / 10_000);
        assertThat(residual / Signals.rms(u, from, u.length)).as("u + v + w ~ 0 in a balanced 3-wire motor").isLessThan(0.05);
    }
}
