package dev.vigil.runtime.ingest;

/** A frame that cannot be accepted; the message names the field or check that failed. */
public final class FrameException extends Exception {
    public FrameException(String message) {
        super(message);
    }
}
