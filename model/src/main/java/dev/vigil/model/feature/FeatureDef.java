package dev.vigil.model.feature;

/**
 * One feature of a vector.
 *
 * @param name unique name, {@code channel.feature}
 * @param channel source channel or column
 * @param kind what the feature measures; explanations key on it
 * @param log whether the value is log-transformed before modelling (amplitudes spanning decades)
 */
public record FeatureDef(String name, String channel, FeatureKind kind, boolean log) {
}
