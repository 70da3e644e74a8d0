package dev.vigil.model.realdata;

/**
 * Lowers a signal's sample rate by an integer factor: a windowed-sinc low-pass (Blackman window) at 0.9 x the
 * new Nyquist frequency, then every factor-th sample. Without the filter, content above the new Nyquist would
 * fold back into the band the features look at.
 */
final class Decimator {
    private Decimator() {
    }

    static double[] decimate(double[] x, int factor) {
        if (factor == 1) {
            return x.clone();
        }
        int half = 32 * factor;
        double cutoff = 0.9 * 0.5 / factor; // cycles per input sample
        double[] h = new double[2 * half + 1];
        double sum = 0;
        for (int k = -half; k <= half; k++) {
            double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
            double w = 0.42 + 0.5 * Math.cos(Math.PI * k / half) + 0.08 * Math.cos(2 * Math.PI * k / half);
            h[k + half] = sinc * w;
            sum += h[k + half];
        }
        double[] out = new double[x.length / factor];
        for (int i = 0; i < out.length; i++) {
            int c = i * factor;
            double acc = 0;
            for (int k = -half; k <= half; k++) {
                int j = Math.min(x.length - 1, Math.max(0, c + k)); // edges: hold the end sample
                acc += h[k + half] * x[j];
            }
            out[i] = acc / sum;
        }
        return out;
    }
}
