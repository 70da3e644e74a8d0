package dev.vigil.model.feature;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.signal.Envelope;
import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.Spectrum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spectrum and envelope spectrum of each vibration channel of one window, computed exactly as the features
 * are (same FFT length, window, envelope band), with the lines an analyst looks for: 1x and 2x the shaft speed and
 * the bearing defect frequencies. For people (the dashboard), not for the model: spectra are reduced to at most
 * {@code points} values by keeping each group's peak, so a line never disappears between pixels.
 */
public final class Spectra {
    private final FeatureSpec spec;

    /** One channel's spectra; frequencies in Hz, amplitudes in the channel's unit. */
    public record Channel(String name, String unit, double binHz, double[] hz, double[] amplitude, double[] envelopeHz,
                          double[] envelope) {
    }

    /** The window's spectra and the lines to mark (name to Hz; empty without a speed channel). */
    public record Result(double shaftHz, Map<String, Double> lines, List<Channel> channels) {
    }

    public Spectra(FeatureSpec spec) {
        if (!spec.isWaveform()) {
            throw new IllegalArgumentException("not a waveform feature spec: " + spec.inputKind());
        }
        this.spec = spec;
    }

    /**
     * @param windows one array per channel of the spec, as the window assembler gives them
     * @param points at most this many values per spectrum
     * @param envelopeMaxHz highest envelope frequency returned, raised to 2.5 x the highest line to mark (second
     *                      harmonics of the defect lines included)
     */
    public Result compute(float[][] windows, int points, double envelopeMaxHz) {
        List<ChannelUse> chans = spec.channels();
        double shaftHz = Double.NaN;
        for (int i = 0; i < chans.size(); i++) {
            if (chans.get(i).use().equals(ChannelUse.SPEED)) {
                Moments m = Moments.of(windows[i], 0, windows[i].length);
                shaftHz = m.count() > 0 ? m.mean() / 60 : Double.NaN;
            }
        }
        Map<String, Double> lines = new LinkedHashMap<>();
        if (shaftHz > 1) {
            lines.put("1x", shaftHz);
            lines.put("2x", 2 * shaftHz);
            BearingGeometry b = spec.bearing();
            if (b != null) {
                lines.put("BPFO", b.bpfoHz(shaftHz));
                lines.put("BPFI", b.bpfiHz(shaftHz));
                lines.put("BSF", b.bsfHz(shaftHz));
                lines.put("FTF", b.ftfHz(shaftHz));
            }
        }
        double envelopeTo = lines.isEmpty() ? envelopeMaxHz
                : Math.max(envelopeMaxHz, 2.5 * java.util.Collections.max(lines.values()));
        List<Channel> out = new ArrayList<>();
        for (int i = 0; i < chans.size(); i++) {
            ChannelUse c = chans.get(i);
            if (!c.use().equals(ChannelUse.VIBRATION)) {
                continue;
            }
            float[] x = windows[i];
            double rate = c.sampleRateHz();
            Spectrum spectrum = new Spectrum(Integer.highestOneBit(x.length), rate);
            double[] band = spec.envelopeBandFraction();
            Envelope envelope = new Envelope(spectrum, band[0] * rate, band[1] * rate);
            Moments m = Moments.of(x, 0, x.length);
            spectrum.compute(x, x.length - spectrum.size(), m.count() > 0 ? m.mean() : 0);
            double[][] s = reduce(spectrum.amplitudes(), spectrum.binHz(), spectrum.size() / 2, points);
            Spectrum env = envelope.compute();
            int envBins = Math.min(env.size() / 2, (int) Math.ceil(envelopeTo / env.binHz()) + 1);
            double[][] e = reduce(env.amplitudes(), env.binHz(), envBins, points);
            out.add(new Channel(c.name(), c.unit(), spectrum.binHz(), s[0], s[1], e[0], e[1]));
        }
        return new Result(shaftHz, lines, out);
    }

    /** Bins 1..bins-1 in at most {@code points} groups: each group's peak at that peak's frequency. */
    static double[][] reduce(double[] amplitude, double binHz, int bins, int points) {
        int group = Math.max(1, (int) Math.ceil((bins - 1) / (double) points));
        int n = (bins - 1 + group - 1) / group;
        double[] hz = new double[n];
        double[] a = new double[n];
        for (int g = 0; g < n; g++) {
            int best = 1 + g * group;
            for (int k = best; k < Math.min(bins, 1 + (g + 1) * group); k++) {
                if (amplitude[k] > amplitude[best]) {
                    best = k;
                }
            }
            hz[g] = best * binHz;
            a[g] = amplitude[best];
        }
        return new double[][]{hz, a};
    }
}
