package dev.vigil.runtime.store;

/** The named record does not exist; the API answers 404 with the message. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
