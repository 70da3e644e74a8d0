package dev.vigil.model.feature;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.model.signal.Envelope;
import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.SpectralKurtosis;
import dev.vigil.model.signal.Spectrum;
import dev.vigil.model.signal.Transforms;

import java.util.List;

/** Features of one accelerometer channel (in g); one instance per channel and thread. */
final class VibrationFeatures {
    static final int BANDS = 8;
    /** Without a speed, a window holds at least this many spectrum segments. */
    static final int WELCH_SEGMENTS = 8;
    private static final double SLIP_LO = 0.96;
    private static final double SLIP_HI = 1.01;

    private final String channel;
    private final double rate;
    private final Spectrum spectrum;
    private final Envelope envelope;
    private final SpectralKurtosis sk;
    private final BearingGeometry bearing;
    private final boolean orders;
    private final double[] bandEdges;
    private final int skLo;
    private final int skHi;

    VibrationFeatures(String channel, double rate, int windowSamples, BearingGeometry bearing, boolean speedKnown,
                      double[] envelopeBandFraction, Transforms shared) {
        this.channel = channel;
        this.rate = rate;
        // with the speed known, lines (orders, defect frequencies) need the finest resolution the window allows;
        // without it only band energies are read, and Welch's average over short segments weighs the whole
        // window alike: on a robot, where in the window a move falls must not change the features
        int fft = speedKnown ? Integer.highestOneBit(windowSamples)
                : Math.min(Integer.highestOneBit(windowSamples),
                        Math.max(64, Integer.highestOneBit(Math.max(1, windowSamples / WELCH_SEGMENTS))));
        this.spectrum = new Spectrum(fft, rate, shared);
        this.envelope = new Envelope(spectrum, envelopeBandFraction[0] * rate, envelopeBandFraction[1] * rate);
        int frame = Math.max(16, Math.min(1024, Integer.highestOneBit((int) Math.max(16, rate / 100))));
        this.sk = new SpectralKurtosis(Math.min(frame, fft), shared);
        this.bearing = speedKnown ? bearing : null;
        this.orders = speedKnown;
        this.bandEdges = new double[BANDS + 1];
        double lo = 10;
        double hi = 0.45 * rate;
        for (int b = 0; b <= BANDS; b++) {
            bandEdges[b] = lo * Math.pow(hi / lo, (double) b / BANDS);
        }
        double skBin = rate / sk.frame();
        this.skLo = Math.max(1, (int) Math.round(envelopeBandFraction[0] * rate / skBin));
        this.skHi = Math.min(sk.frame() / 2 - 1, (int) Math.round(envelopeBandFraction[1] * rate / skBin));
    }

    void define(List<FeatureDef> defs) {
        String p = channel + ".";
        defs.add(new FeatureDef(p + "acc_rms", channel, FeatureKind.RMS, true));
        defs.add(new FeatureDef(p + "vel_rms", channel, FeatureKind.VELOCITY, true));
        defs.add(new FeatureDef(p + "peak", channel, FeatureKind.PEAK, true));
        defs.add(new FeatureDef(p + "crest", channel, FeatureKind.CREST, false));
        defs.add(new FeatureDef(p + "kurtosis", channel, FeatureKind.KURTOSIS, true));
        defs.add(new FeatureDef(p + "skewness", channel, FeatureKind.SKEWNESS, false));
        for (int b = 0; b < BANDS; b++) {
            defs.add(new FeatureDef(p + "band_" + Math.round(bandEdges[b]) + "_" + Math.round(bandEdges[b + 1]) + "hz",
                    channel, FeatureKind.BAND, false));
        }
        defs.add(new FeatureDef(p + "sk_max", channel, FeatureKind.SPECTRAL_KURTOSIS, false));
        defs.add(new FeatureDef(p + "sk_band", channel, FeatureKind.SPECTRAL_KURTOSIS, false));
        if (orders) {
            defs.add(new FeatureDef(p + "order_1x", channel, FeatureKind.ORDER_1X, true));
            defs.add(new FeatureDef(p + "order_2x", channel, FeatureKind.ORDER_2X, true));
            defs.add(new FeatureDef(p + "order_3x", channel, FeatureKind.ORDER_3X, true));
            defs.add(new FeatureDef(p + "harmonics_4_10x", channel, FeatureKind.HARMONICS, true));
            defs.add(new FeatureDef(p + "half_orders", channel, FeatureKind.HALF_ORDERS, true));
            defs.add(new FeatureDef(p + "env_1x", channel, FeatureKind.ENV_1X, true));
        }
        if (bearing != null) {
            defs.add(new FeatureDef(p + "env_bpfo", channel, FeatureKind.ENV_BPFO, true));
            defs.add(new FeatureDef(p + "env_bpfi", channel, FeatureKind.ENV_BPFI, true));
            defs.add(new FeatureDef(p + "env_bsf", channel, FeatureKind.ENV_BSF, true));
            defs.add(new FeatureDef(p + "env_ftf", channel, FeatureKind.ENV_FTF, true));
        }
    }

    /**
     * Writes this channel's features at out[at...]; returns the next free index. Adds the window's defect lines
     * to {@code lines} where the bearing is known and the shaft turns. {@code cycle}: x is one motion cycle, whose
     * end meets its start. {@code position}: the stream position of x[0], where frames of earlier windows may be
     * reused ({@link SpectralKurtosis#NO_POSITION}: none; x holds no NaN otherwise).
     */
    int extract(float[] x, Moments m, double shaftHz, double[] out, int at, List<DefectLines> lines, boolean cycle,
                long position) {
        double mean = m.count() > 0 ? m.mean() : 0;
        out[at++] = m.rms();
        if (orders) {
            spectrum.compute(x, x.length - spectrum.size(), mean);
        } else if (cycle) {
            spectrum.computeCyclic(x, x.length, mean);
        } else {
            spectrum.computeAveraged(x, 0, x.length, mean);
        }
        out[at++] = spectrum.velocityRmsMmPerS(10, 1000);
        out[at++] = m.peak();
        out[at++] = m.crestFactor();
        out[at++] = m.kurtosis();
        out[at++] = m.skewness();
        boolean turning = shaftHz > 1;
        for (int b = 0; b < BANDS; b++) {
            // with the speed known, bands hold only non-synchronous energy: order lines move across fixed band
            // edges as the speed changes, which would make every speed step look like an anomaly
            double e = orders && turning
                    ? spectrum.nonSynchronousBandEnergy(bandEdges[b], bandEdges[b + 1], shaftHz / 2, 2)
                    : spectrum.bandEnergy(bandEdges[b], bandEdges[b + 1]);
            out[at++] = Math.log10(e + 1e-12);
        }
        double[] kurt = sk.compute(x, 0, x.length, mean, position);
        double max = 0;
        double band = 0;
        for (int k = 1; k < kurt.length; k++) {
            max = Math.max(max, kurt[k]);
        }
        for (int k = skLo; k <= skHi; k++) {
            band += kurt[k];
        }
        out[at++] = Math.log10(2 + max);
        out[at++] = Math.log10(2 + Math.max(-1.9, band / Math.max(1, skHi - skLo + 1)));
        double tol = spectrum.binHz();
        if (orders) {
            out[at++] = turning ? order(shaftHz, 1) : 0;
            out[at++] = turning ? order(shaftHz, 2) : 0;
            out[at++] = turning ? order(shaftHz, 3) : 0;
            double h = 0;
            for (int k = 4; k <= 10 && turning && k * shaftHz < rate / 2; k++) {
                double a = order(shaftHz, k);
                h += a * a;
            }
            out[at++] = Math.sqrt(h);
            double half = 0;
            for (double o = 0.5; o < 3 && turning; o += 1) {
                double a = order(shaftHz, o);
                half += a * a;
            }
            out[at++] = Math.sqrt(half);
        }
        Spectrum env = null;
        if (orders || bearing != null) {
            env = envelope.compute();
        }
        if (orders) {
            out[at++] = turning ? env.peak(shaftHz - tol, shaftHz + tol) : 0;
        }
        if (bearing != null) {
            out[at++] = turning ? line(env, bearing.bpfoHz(shaftHz), tol) : 0;
            out[at++] = turning ? line(env, bearing.bpfiHz(shaftHz), tol) : 0;
            out[at++] = turning ? line(env, 2 * bearing.bsfHz(shaftHz), tol) : 0;
            out[at++] = turning ? line(env, bearing.ftfHz(shaftHz), tol) : 0;
            if (turning) {
                lines.add(DefectLines.of(channel, env, shaftHz, bearing));
            }
        }
        return at;
    }

    /** Amplitude of the k-th order line above the local floor (broadband energy is not an order). */
    private double order(double shaftHz, double k) {
        double f = k * shaftHz;
        double tol = Math.max(spectrum.binHz(), 0.01 * f);
        return spectrum.lineProminence(f, tol);
    }

    /** A defect line: rolling elements slip, so the line sits up to a few percent below its kinematic frequency. */
    private static double line(Spectrum env, double hz, double tol) {
        return env.peak(hz * SLIP_LO - tol, hz * SLIP_HI + tol);
    }
}
