package dev.vigil.runtime.score;

/**
 * A machine's models by version: the active one, the rollback target and the shadow (null when there is none).
 * What a cluster's instances agree on for each machine, whichever of them scores it.
 */
public record ModelSet(String active, String previous, String shadow) {
    public ModelSet {
        if (active == null) {
            throw new IllegalArgumentException("a machine always has an active model");
        }
    }
}
