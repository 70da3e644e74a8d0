package dev.vigil.runtime.alert;

import java.time.Instant;

/**
 * One alert, as stored and served. Two axes as in mature alarm systems: active or cleared (what the machine
 * does) and acknowledged or not (what the engineers did); resolved closes it.
 *
 * @param id store id (0 before it is stored)
 * @param machineId the machine
 * @param category what it is about
 * @param fault most likely fault (bearing-outer, ...) or sensor problem (dropout:accel_y)
 * @param severity how bad
 * @param active whether the condition is still present
 * @param acknowledged whether an engineer acknowledged it
 * @param firstSeen when the condition began (back-dated to the first window above the warning level)
 * @param lastSeen the newest window that showed it
 * @param clearedAt when it cleared, or null
 * @param resolvedAt when an engineer resolved it, or null (open alerts have none)
 * @param score smoothed score at the last update
 * @param warning warning level
 * @param critical critical level
 * @param evidence the hypothesis evidence and top contributions as JSON text
 * @param handling what engineers did with it (as stored; the tracker leaves it empty)
 */
public record Alert(long id, String machineId, Category category, String fault, Severity severity, boolean active,
                    boolean acknowledged, Instant firstSeen, Instant lastSeen, Instant clearedAt, Instant resolvedAt,
                    double score, double warning, double critical, String evidence, Handling handling) {

    /**
     * The people side of an alert; every field may be null.
     *
     * @param acknowledgedBy who acknowledged it
     * @param acknowledgedAt when
     * @param assignee who is working on it
     * @param escalatedAt when it was escalated for staying critical and unacknowledged
     * @param resolvedBy who resolved it
     * @param verdict the engineer's verdict
     * @param note the maintenance note given with the verdict
     * @param confirmedFault for a confirmed alert, the fault the engineer found (may differ from the hypothesis)
     */
    public record Handling(String acknowledgedBy, Instant acknowledgedAt, String assignee, Instant escalatedAt,
                           String resolvedBy, Verdict verdict, String note, String confirmedFault) {
        public static final Handling NONE = new Handling(null, null, null, null, null, null, null, null);
    }

    /**
     * A new alert, not stored yet (id 0), active and unacknowledged.
     *
     * @param firstSeen when the condition began
     * @param lastSeen the newest window that showed it
     */
    public static Alert open(String machineId, Category category, String fault, Severity severity, Instant firstSeen,
                             Instant lastSeen, double score, double warning, double critical, String evidence) {
        return new Alert(0, machineId, category, fault, severity, true, false, firstSeen, lastSeen, null, null, score,
                warning, critical, evidence, Handling.NONE);
    }

    /**
     * This alert with its condition present (again) at {@code lastSeen}: the same id, start and acknowledgement, the
     * fault, severity, score and evidence as now.
     */
    public Alert active(String newFault, Severity newSeverity, Instant newLastSeen, double newScore, double newWarning,
                        double newCritical, String newEvidence) {
        return new Alert(id, machineId, category, newFault, newSeverity, true, acknowledged, firstSeen, newLastSeen, null,
                resolvedAt, newScore, newWarning, newCritical, newEvidence, handling);
    }

    /** This alert with its condition gone at {@code at}; it last showed at {@code newLastSeen}. */
    public Alert cleared(Instant newLastSeen, Instant at, double newScore, double newWarning, double newCritical) {
        return new Alert(id, machineId, category, fault, severity, false, acknowledged, firstSeen, newLastSeen, at,
                resolvedAt, newScore, newWarning, newCritical, evidence, handling);
    }

    public boolean open() {
        return resolvedAt == null;
    }

    Alert withId(long newId) {
        return new Alert(newId, machineId, category, fault, severity, active, acknowledged, firstSeen, lastSeen, clearedAt,
                resolvedAt, score, warning, critical, evidence, handling);
    }
}
