package dev.vigil.sim;

/** A sensor's analogue-to-digital converter: full-scale clipping and quantisation. NaN passes through. */
record Adc(double fullScale, int bits) {

    double lsb() {
        return 2 * fullScale / (1L << bits);
    }

    void apply(float[] samples) {
        double lsb = lsb();
        for (int i = 0; i < samples.length; i++) {
            double x = samples[i];
            if (Double.isNaN(x)) {
                continue;
            }
            x = Math.max(-fullScale, Math.min(fullScale, x));
            samples[i] = (float) (Math.rint(x / lsb) * lsb);
        }
    }
}
