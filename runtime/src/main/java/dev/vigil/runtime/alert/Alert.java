package dev.vigil.runtime.alert;

import java.time.Instant;

/**
 * One alert, as stored and served. Two axes as in mature alarm systems: active or cleared (what the machine
 * does) and acknowledged or not (what the engineers did); resolved closes it.
 *
 * @param id store id (0 before it is stored)
 * @param machineId the machine
 * @param category {@code machine} or {@code sensor}
 * @param fault most likely fault (bearing-outer, ...) or sensor problem (dropout:accel_y)
 * @param severity {@code warning} or {@code critical}
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
public record Alert(long id, String machineId, String category, String fault, String severity, boolean active,
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
     * @param verdict confirmed, false-alarm or unknown
     * @param note the maintenance note given with the verdict
     * @param confirmedFault for a confirmed alert, the fault the engineer found (may differ from the hypothesis)
     */
    public record Handling(String acknowledgedBy, Instant acknowledgedAt, String assignee, Instant escalatedAt,
                           String resolvedBy, String verdict, String note, String confirmedFault) {
        public static final Handling NONE = new Handling(null, null, null, null, null, null, null, null);
    }

    public Alert(long id, String machineId, String category, String fault, String severity, boolean active,
                 boolean acknowledged, Instant firstSeen, Instant lastSeen, Instant clearedAt, Instant resolvedAt,
                 double score, double warning, double critical, String evidence) {
        this(id, machineId, category, fault, severity, active, acknowledged, firstSeen, lastSeen, clearedAt, resolvedAt,
                score, warning, critical, evidence, Handling.NONE);
    }

    public boolean open() {
        return resolvedAt == null;
    }

    Alert withId(long newId) {
        return new Alert(newId, machineId, category, fault, severity, active, acknowledged, firstSeen, lastSeen, clearedAt,
                resolvedAt, score, warning, critical, evidence, handling);
    }
}
