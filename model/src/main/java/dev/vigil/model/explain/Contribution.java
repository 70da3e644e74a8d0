package dev.vigil.model.explain;

/**
 * One feature's share of a score, with the value seen and the value expected.
 *
 * @param feature feature name
 * @param channel its channel or column
 * @param share share of the score, 0..1
 * @param value actual value
 * @param expected expected value in this operating context
 */
public record Contribution(String feature, String channel, double share, double value, double expected) {
}
