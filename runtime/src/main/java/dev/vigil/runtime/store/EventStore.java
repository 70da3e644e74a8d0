package dev.vigil.runtime.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The service's record of what happened, in one SQLite file (WAL journal, synchronous=FULL: a committed change
 * survives a crash or kill -9): the alerts and their history, the machines' availability and its event log, and
 * the webhook messages waiting for delivery. The three share one connection and one lock, so an alert change or a
 * status change and the messages announcing it are one transaction. Blocking JDBC: call from workers.
 */
public final class EventStore implements AutoCloseable {
    private final Database database;
    private final Outbox outbox;
    private final AlertStore alerts;
    private final AvailabilityLog availability;

    private EventStore(Database database, LongSupplier alertIds) {
        this.database = database;
        this.outbox = new Outbox(database, alertIds != null);
        this.alerts = new AlertStore(database, outbox, alertIds);
        this.availability = new AvailabilityLog(database, outbox);
    }

    /** Opens the file, creating it or migrating its schema as needed. */
    public static EventStore open(Path file) throws SQLException {
        return new EventStore(Database.open(file), null);
    }

    /**
     * The store of an instance of a cluster: new alerts take their ids from {@code alertIds} (unique across the
     * cluster, so an alert keeps its id when its machine moves to another instance), and webhook messages are held
     * until released (see {@link Outbox#held()}).
     */
    public static EventStore openClustered(Path file, LongSupplier alertIds) throws SQLException {
        return new EventStore(Database.open(file), java.util.Objects.requireNonNull(alertIds));
    }

    public AlertStore alerts() {
        return alerts;
    }

    public AvailabilityLog availability() {
        return availability;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** The schema version after migrations. */
    public int schemaVersion() throws SQLException {
        synchronized (database) {
            return database.schemaVersion();
        }
    }

    /**
     * What a prune deleted.
     *
     * @param outbox delivered and dead webhook messages
     * @param availabilityEvents entries of the availability event log
     * @param alerts resolved alerts (each with its history)
     */
    public record Pruned(int outbox, int availabilityEvents, int alerts) {
        public int total() {
            return outbox + availabilityEvents + alerts;
        }
    }

    /**
     * Deletes what is older than its retention before {@code now} (the service clock): webhook messages delivered
     * or dead, availability events, and resolved alerts with their history. Pending messages and open alerts are
     * never deleted, whatever their age. One transaction.
     */
    public Pruned prune(Duration outbox, Duration availabilityEvents, Duration resolvedAlerts, Instant now)
            throws SQLException {
        synchronized (database) {
            return database.transaction(() -> new Pruned(this.outbox.pruneBefore(now.minus(outbox)),
                    availability.pruneBefore(now.minus(availabilityEvents)),
                    alerts.pruneResolvedBefore(now.minus(resolvedAlerts))));
        }
    }

    @Override
    public void close() throws SQLException {
        synchronized (database) {
            database.close();
        }
    }
}
