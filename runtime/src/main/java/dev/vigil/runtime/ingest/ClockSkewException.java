package dev.vigil.runtime.ingest;

import dev.vigil.runtime.stream.FrameException;

/** Data stamped further from the service clock than the configured skew allows ({@link DataClock}). */
public final class ClockSkewException extends FrameException {
    public ClockSkewException(String message) {
        super(message);
    }
}
