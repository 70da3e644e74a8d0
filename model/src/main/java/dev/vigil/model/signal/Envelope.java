package dev.vigil.model.signal;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Envelope analysis for bearing diagnosis: band-pass around the structural resonance that impacts ring,
 * Hilbert envelope, envelope spectrum. Works on an already computed {@link Spectrum}: the band's bins are
 * shifted down to base band and inverted with a small FFT, which band-limits, demodulates and decimates in
 * one step (the envelope's magnitude does not change with the shift).
 */
public final class Envelope {
    private final Spectrum source;
    private final int lo;
    private final int bins;
    private final int size;
    private final DoubleFFT_1D inverse;
    private final double[] analytic;
    private final float[] magnitude;
    private final Spectrum envelopeSpectrum;

    /**
     * @param source the spectrum whose band is demodulated (its size and rate fix the resolution)
     * @param loHz lower edge of the band
     * @param hiHz upper edge of the band
     */
    public Envelope(Spectrum source, double loHz, double hiHz) {
        if (!(loHz > 0 && hiHz > loHz && hiHz <= source.sampleRateHz() / 2)) {
            throw new IllegalArgumentException("envelope band [" + loHz + ", " + hiHz + "] Hz must lie in (0, "
                    + source.sampleRateHz() / 2 + "]");
        }
        this.source = source;
        this.lo = Math.max(1, (int) Math.ceil(loHz / source.binHz()));
        int hi = Math.min(source.size() / 2 - 1, (int) Math.floor(hiHz / source.binHz()));
        this.bins = hi - lo + 1;
        // the shifted band is a complex signal holding only non-negative frequencies: as many points as it has
        // bins are enough (complex sampling); envelope lines above half the band width may fold, and bearing
        // lines sit far below that
        this.size = Math.max(16, Integer.highestOneBit(Math.max(1, bins - 1)) << 1);
        this.inverse = source.shared().plan(size);
        this.analytic = new double[2 * size];
        this.magnitude = new float[size];
        this.envelopeSpectrum = new Spectrum(size, source.sampleRateHz() * size / source.size(), source.shared());
    }

    /** The envelope spectrum of the source's current window; resolution equals the source's. */
    public Spectrum compute() {
        for (int j = 0; j < bins; j++) {
            analytic[2 * j] = source.re(lo + j);
            analytic[2 * j + 1] = source.im(lo + j);
        }
        // the transform leaves its output here: past the band, zeros again (only there: the band is written above)
        java.util.Arrays.fill(analytic, 2 * bins, analytic.length, 0);
        inverse.complexInverse(analytic, false);
        // the inverse is unscaled; the source's amplitude scaling makes the envelope read in the signal's unit
        double scale = source.unscale();
        double mean = 0;
        for (int i = 0; i < size; i++) {
            double re = analytic[2 * i];
            double im = analytic[2 * i + 1];
            double m = scale * Math.sqrt(re * re + im * im);
            magnitude[i] = (float) m;
            mean += m;
        }
        return envelopeSpectrum.compute(magnitude, 0, mean / size);
    }
}
