package dev.vigil.runtime.score;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Where a change of a machine's models made through the API goes besides the machine's stream here: in a cluster, to
 * every other instance (whichever scores the machine now or later). Blocking: called from workers.
 */
public interface ModelSharing {
    /** A single box: nothing to tell. */
    ModelSharing NONE = (machineId, models, bundles, action, by, at) -> { };

    /**
     * Hands the machine's models on once they changed here; returns once the others will have them.
     *
     * @param bundles where this instance keeps the bundle of a version of the set
     * @param action deploy, shadow, rollback, promote or stop-shadow
     * @throws Exception when they could not be handed on (the change is made on this instance only)
     */
    void changed(String machineId, ModelSet models, java.util.function.Function<String, Path> bundles, String action,
                 String by, Instant at) throws Exception;
}
