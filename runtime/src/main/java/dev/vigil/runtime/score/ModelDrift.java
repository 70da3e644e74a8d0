package dev.vigil.runtime.score;

import dev.vigil.model.score.DriftFollower;

/**
 * What a machine's active model learned of its slow healthy drift ({@link DriftFollower}), with the model's version:
 * it is continued only by the same model.
 */
public record ModelDrift(String version, DriftFollower.State state) {
}
