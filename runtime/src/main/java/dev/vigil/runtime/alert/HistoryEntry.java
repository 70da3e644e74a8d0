package dev.vigil.runtime.alert;

import java.time.Instant;

/**
 * One line of an alert's history: what happened, who did it ({@code vigil} for the service), and the detail
 * (a comment's text, a verdict and note, the assignee).
 */
public record HistoryEntry(Instant at, String event, String actor, String severity, String fault, String detail) {
}
