package dev.vigil.model.explain;

/**
 * Why a hypothesis was chosen: one feature, where it looks in the spectrum, and how far it is from normal.
 *
 * @param feature feature name
 * @param frequencyHz the frequency it measures in this window (a defect or order line), or NaN
 * @param value its value
 * @param expected the value expected in this operating context
 * @param z standardised deviation
 */
public record Evidence(String feature, double frequencyHz, double value, double expected, double z) {
}
