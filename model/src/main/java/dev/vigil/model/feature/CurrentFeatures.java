package dev.vigil.model.feature;

import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.Spectrum;
import dev.vigil.model.signal.Transforms;

import java.util.List;

/**
 * Motor current signature features of an inverter- or mains-fed AC motor: per-phase RMS, total harmonic
 * distortion, sidebands at f_supply +/- k f_rot (eccentricity, shaft faults), and phase imbalance.
 */
final class CurrentFeatures {
    private final List<String> phases;
    private final double rate;
    private final Spectrum spectrum;
    private final boolean shaftKnown;

    CurrentFeatures(List<String> phases, double rate, int windowSamples, boolean shaftKnown, Transforms shared) {
        this.phases = List.copyOf(phases);
        this.rate = rate;
        this.spectrum = new Spectrum(Integer.highestOneBit(windowSamples), rate, shared);
        this.shaftKnown = shaftKnown;
    }

    private String group() {
        return phases.size() == 1 ? phases.get(0) : "current";
    }

    void define(List<FeatureDef> defs) {
        for (String p : phases) {
            defs.add(new FeatureDef(p + ".rms", p, FeatureKind.CURRENT_RMS, true));
        }
        String g = group() + ".";
        defs.add(new FeatureDef(g + "thd", group(), FeatureKind.THD, false));
        if (shaftKnown) {
            defs.add(new FeatureDef(g + "sideband_1x_db", group(), FeatureKind.SIDEBAND, false));
            defs.add(new FeatureDef(g + "sideband_2x_db", group(), FeatureKind.SIDEBAND, false));
        }
        if (phases.size() > 1) {
            defs.add(new FeatureDef(g + "phase_imbalance", group(), FeatureKind.PHASE_IMBALANCE, false));
        }
    }

    /** {@code moments[p]}: the moments of phase {@code x[p]} (the sensor check took them already). */
    int extract(float[][] x, Moments[] moments, double supplyHz, double shaftHz, double[] out, int at) {
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        Moments first = moments[0];
        for (Moments m : moments) {
            out[at++] = m.rms();
            min = Math.min(min, m.rms());
            max = Math.max(max, m.rms());
            sum += m.rms();
        }
        float[] u = x[0];
        spectrum.compute(u, u.length - spectrum.size(), first.count() > 0 ? first.mean() : 0);
        double tol = spectrum.binHz();
        double fe = supplyHz > 0 ? supplyHz : spectrum.peakHz(2, 0.4 * rate);
        double a1 = spectrum.peak(fe - tol, fe + tol) + 1e-9;
        double h = 0;
        for (int k = 2; k <= 7 && k * fe < rate / 2; k++) {
            double a = spectrum.peak(k * fe - tol, k * fe + tol);
            h += a * a;
        }
        out[at++] = Math.sqrt(h) / a1;
        if (shaftKnown) {
            for (int k = 1; k <= 2; k++) {
                double side = 0;
                if (shaftHz > 1) {
                    side = Math.max(spectrum.peak(fe - k * shaftHz - tol, fe - k * shaftHz + tol),
                            spectrum.peak(fe + k * shaftHz - tol, fe + k * shaftHz + tol));
                }
                out[at++] = 20 * Math.log10((side + 1e-9) / a1);
            }
        }
        if (x.length > 1) {
            double mean = sum / x.length;
            out[at++] = mean > 0 ? (max - min) / mean : 0;
        }
        return at;
    }
}
