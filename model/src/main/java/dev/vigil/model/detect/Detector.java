package dev.vigil.model.detect;

import java.util.Map;

/**
 * Scores standardised residual vectors z (see {@link Preprocessor}). Implementations are trained once and then
 * only read, but may hold per-call buffers: use one instance per thread unless documented otherwise.
 */
public interface Detector {

    /** Which detector this is (its name in the bundle: {@link DetectorKind#id()}). */
    DetectorKind kind();

    /** The detector's name, as in the bundle and on the command line. */
    default String name() {
        return kind().id();
    }

    /** Hyper-parameters as plain values, for the manifest. */
    Map<String, Object> hyperParameters();

    /**
     * Scores a batch. Batching matters for neural detectors: one call per window costs far more than the
     * arithmetic.
     *
     * @param z standardised residuals, one row per observation
     * @param context context encodings ({@link Preprocessor#encodeContext}), one row per observation
     */
    Scored[] score(double[][] z, double[][] context);

    /**
     * One scored observation.
     *
     * @param score anomaly score, about 1 on typical healthy data, growing with the anomaly
     * @param contribution per feature, its share of the score (non-negative, summing to 1)
     * @param zhat the detector's expected z for every feature
     */
    record Scored(double score, double[] contribution, double[] zhat) {
    }

    /**
     * The detector to use for one stream of observations: itself when it keeps no state between calls, a
     * fresh copy when it does (sequence models remember the stream's recent past).
     */
    default Detector forStream() {
        return this;
    }

    /** Shares proportional to the given non-negative weights (uniform when all are zero). */
    static double[] shares(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] out = new double[weights.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = sum > 0 ? weights[j] / sum : 1.0 / out.length;
        }
        return out;
    }
}
