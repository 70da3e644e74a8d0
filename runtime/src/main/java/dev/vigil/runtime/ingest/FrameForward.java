package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;

import java.util.List;

/**
 * Where an instance of a cluster sends the frames its HTTP and WebSocket fronts take, instead of scoring them: the
 * instance that owns the machine scores them (docs/SCALE-OUT.md). Blocking: called on the machine's lane.
 */
public interface FrameForward {
    /** Sends a machine's frames, in order; returns once they are durably accepted, throws when they are not. */
    void forward(String machineId, List<Frame> frames) throws Exception;

    /** Where the frames go, for answers ({@code kafka topic vigil.frames}). */
    String destination();
}
