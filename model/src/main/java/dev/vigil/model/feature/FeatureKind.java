package dev.vigil.model.feature;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a feature measures; explanations (the fault hypothesis, the evidence's frequency) and baselines key on it.
 * Its {@link #id()} (the constant in lower case: {@code env_bpfo}) is what bundles hold in {@code features[].kind}.
 */
public enum FeatureKind {
    /** Tabular: a column's value, its mean and spread over the window, a controller's load tag. */
    VALUE, MEAN, STD, LOAD,
    /** Vibration: levels and shape of the waveform. */
    RMS, VELOCITY, PEAK, CREST, KURTOSIS, SKEWNESS, BAND, SPECTRAL_KURTOSIS,
    /** Vibration: orders of the shaft rate, their harmonics and half orders. */
    ORDER_1X, ORDER_2X, ORDER_3X, HARMONICS, HALF_ORDERS,
    /** Vibration: the envelope at the shaft rate and at the bearing defect frequencies. */
    ENV_1X, ENV_BPFO, ENV_BPFI, ENV_BSF, ENV_FTF,
    /** Motor current (MCSA) and servo current. */
    CURRENT_RMS, CURRENT_MEAN, CURRENT_PEAK, RIPPLE, THD, SIDEBAND, PHASE_IMBALANCE;

    /** The name in bundles ({@code rms}, {@code env_bpfo}, ...). */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static FeatureKind parse(String text) {
        for (FeatureKind k : values()) {
            if (k.id().equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown feature kind '" + text + "' (expected one of "
                + Arrays.stream(values()).map(FeatureKind::id).collect(Collectors.joining(", ")) + ")");
    }
}
