package dev.vigil.model.feature;

import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.Spectrum;
import dev.vigil.model.signal.Transforms;

import java.util.List;

/**
 * Features of a servo's torque-producing current (Iq), which follows the load rather than oscillating at a
 * supply frequency: level, spread, peak, and ripple above 20 Hz (torque ripple locked to motor position, e.g.
 * from worn gear teeth).
 */
final class ServoCurrentFeatures {
    private final String channel;
    private final Spectrum spectrum;

    ServoCurrentFeatures(String channel, double rate, int windowSamples, Transforms shared) {
        this.channel = channel;
        // ripple is a band energy: Welch's average over the whole window, wherever in it the robot moved
        this.spectrum = new Spectrum(Math.min(Integer.highestOneBit(windowSamples),
                Math.max(64, Integer.highestOneBit(Math.max(1, windowSamples / 8)))), rate, shared);
    }

    void define(List<FeatureDef> defs) {
        String p = channel + ".";
        defs.add(new FeatureDef(p + "mean", channel, FeatureKind.CURRENT_MEAN, false));
        defs.add(new FeatureDef(p + "rms", channel, FeatureKind.CURRENT_RMS, true));
        defs.add(new FeatureDef(p + "peak", channel, FeatureKind.CURRENT_PEAK, true));
        defs.add(new FeatureDef(p + "ripple", channel, FeatureKind.RIPPLE, true));
    }

    /** {@code cycle}: x is one motion cycle, whose end meets its start. */
    int extract(float[] x, Moments m, double[] out, int at, boolean cycle) {
        out[at++] = m.mean();
        out[at++] = m.rms();
        out[at++] = m.peak();
        double mean = m.count() > 0 ? m.mean() : 0;
        if (cycle) {
            spectrum.computeCyclic(x, x.length, mean);
        } else {
            spectrum.computeAveraged(x, 0, x.length, mean);
        }
        out[at++] = Math.sqrt(spectrum.bandEnergy(20, spectrum.sampleRateHz() / 2));
        return at;
    }
}
