package dev.vigil.runtime.alert;

/**
 * A change to an alert, for the store's history and for subscribers.
 *
 * @param type raised, updated (severity, fault or evidence changed), cleared, reactivated (the machine's side);
 *             acknowledged, assigned, commented, resolved (the engineers'); escalated
 * @param alert the alert after the change
 * @param actor who made it ({@code vigil} for the service)
 */
public record AlertEvent(String type, Alert alert, String actor) {
    public static final String RAISED = "raised";
    public static final String UPDATED = "updated";
    public static final String CLEARED = "cleared";
    public static final String REACTIVATED = "reactivated";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String ASSIGNED = "assigned";
    public static final String COMMENTED = "commented";
    public static final String RESOLVED = "resolved";
    public static final String ESCALATED = "escalated";

    public AlertEvent(String type, Alert alert) {
        this(type, alert, "vigil");
    }
}
