package dev.vigil.runtime.score;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.stream.FrameException;

import java.util.List;

/**
 * A batch refused from one frame or row on, after the ones before it were taken: their windows are scored and
 * must be recorded and alerted like any others (a sender that retries the corrected batch has them counted as
 * taken, so they would otherwise never be scored at all).
 */
public final class PartlyTakenException extends FrameException {
    private final transient List<Assessment> taken;
    private final int count;

    PartlyTakenException(String message, int count, List<Assessment> taken) {
        super(message);
        this.count = count;
        this.taken = List.copyOf(taken);
    }

    /** How many frames or rows at the start of the batch were taken. */
    public int count() {
        return count;
    }

    /** The windows completed by the part of the batch that was taken (possibly none). */
    public List<Assessment> taken() {
        return taken;
    }
}
