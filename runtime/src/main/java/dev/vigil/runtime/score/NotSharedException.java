package dev.vigil.runtime.score;

/**
 * A change of a machine's models made on this instance of a cluster that could not be handed on to the others (the
 * brokers did not take it): the API answers 503, and the engineer repeats the request.
 */
public final class NotSharedException extends RuntimeException {
    public NotSharedException(String message, Throwable cause) {
        super(message, cause);
    }
}
