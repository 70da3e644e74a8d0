package dev.vigil.runtime.stream;

/** A frame that cannot be accepted; the message names the field or check that failed. */
public class FrameException extends Exception {
    public FrameException(String message) {
        super(message);
    }
}
