package dev.vigil.runtime.alert;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where alerts and their history are kept: owned here, implemented by the store, so alerts depend on no storage
 * and the store on alerts' records only. Every method is one transaction; implementations block (JDBC): call from
 * workers.
 */
public interface AlertRepository {

    /** Several saves that must all be committed or none. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} as one transaction: every save in it is committed, or none is. */
    <T> T atomically(Work<T> work) throws SQLException;

    /**
     * Stores an alert event (a new alert, or a change of a stored one) with its history row, and in the same
     * transaction the outbox messages made from the stored alert; returns the stored alert.
     */
    Alert save(AlertEvent event, Instant now, Function<Alert, List<OutboxMessage>> outgoing) throws SQLException;

    Optional<Alert> get(long id) throws SQLException;

    /** One machine's alerts (every machine's if null), newest first. */
    List<Alert> list(String machineId, boolean openOnly) throws SQLException;

    Alert acknowledge(long id, String by, Instant at) throws SQLException;

    /** @param assignee who takes it, or null to unassign */
    Alert assign(long id, String assignee, String by, Instant at) throws SQLException;

    Alert comment(long id, String by, String text, Instant at) throws SQLException;

    /**
     * Closes the alert with the engineer's verdict, with the outbox messages made from it in the same transaction.
     *
     * @param confirmedFault for a confirmed alert, the fault found (null: the alert's own hypothesis)
     */
    Alert resolve(long id, String by, Verdict verdict, String confirmedFault, String note, Instant at,
                  Function<Alert, List<OutboxMessage>> outgoing) throws SQLException;

    /**
     * Takes over a machine's alerts, with their ids and histories, as another instance of a cluster handed them on;
     * the machine's other open alerts here are closed.
     */
    void adopt(String machineId, List<Alert> alerts, Map<Long, List<HistoryEntry>> histories, Instant now)
            throws SQLException;

    /** The alert's history, oldest first. */
    List<HistoryEntry> history(long id) throws SQLException;

    /**
     * Marks the critical alerts left unacknowledged since before {@code cutoff} escalated, of the machines
     * {@code judged} accepts; returns them.
     */
    List<Alert> escalateOverdue(Instant cutoff, Instant now, Predicate<String> judged) throws SQLException;
}
