package dev.vigil.runtime.alert;

import dev.vigil.domain.WireNames;

/**
 * A change to an alert, for the store's history and for subscribers.
 *
 * @param alert the alert after the change
 * @param actor who made it ({@code vigil} for the service)
 */
public record AlertEvent(Type type, Alert alert, String actor) {

    /**
     * What changed: raised, updated (severity, fault or evidence changed), cleared, reactivated (the machine's
     * side); acknowledged, assigned, commented, resolved (the engineers'); escalated.
     */
    public enum Type {
        RAISED, UPDATED, CLEARED, REACTIVATED, ACKNOWLEDGED, ASSIGNED, COMMENTED, RESOLVED, ESCALATED;

        /** The name in the history, the event stream and the API ({@code raised}, ...). */
        public String id() {
            return WireNames.id(this);
        }
    }

    public AlertEvent(Type type, Alert alert) {
        this(type, alert, "vigil");
    }
}
