package dev.vigil.runtime.alert;

/**
 * A change to an alert, for the store's history and for subscribers.
 *
 * @param type raised, updated (severity, fault or evidence changed), cleared, reactivated
 * @param alert the alert after the change
 */
public record AlertEvent(String type, Alert alert) {
    public static final String RAISED = "raised";
    public static final String UPDATED = "updated";
    public static final String CLEARED = "cleared";
    public static final String REACTIVATED = "reactivated";
}
