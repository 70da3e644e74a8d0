package dev.vigil.runtime.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What the service keeps per machine besides alerts: the score history, downsampled to fixed buckets (the worst
 * window of each bucket survives), the false-alarm feedback, and model deployments (so that a restart scores
 * with the model that was deployed, not the one the configuration first named). Its own connection to the
 * service's SQLite file.
 */
public final class MachineStore implements AutoCloseable {

    /**
     * One bucket of a machine's scores.
     *
     * @param at the bucket's start
     * @param windows windows scored in it
     * @param maxScore the highest smoothed score (NaN when every window was a sensor problem)
     * @param meanScore their mean
     * @param level the worst level seen: normal, warning, critical or sensor
     * @param model the model version that scored the bucket's last window
     */
    public record Point(String machineId, Instant at, int windows, double maxScore, double meanScore, String level,
                        double warning, double critical, String model) {
    }

    /**
     * A machine's false-alarm feedback.
     *
     * @param falseAlarms alerts resolved as false alarms
     * @param thresholdFactor what the model's levels are multiplied by for this machine
     */
    public record Feedback(String machineId, int falseAlarms, double thresholdFactor, Instant updatedAt) {
    }

    private final Database database;
    private final Connection db;

    private MachineStore(Database database) {
        this.database = database;
        this.db = database.connection();
    }

    public static MachineStore open(Path file) throws SQLException {
        return new MachineStore(Database.open(file));
    }

    /** Stores the points in one transaction; a point for an existing bucket replaces it. */
    public synchronized void append(Collection<Point> points) throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        database.transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO score_history(machine_id, at, windows, "
                    + "max_score, mean_score, level, warning, critical, model) VALUES (?,?,?,?,?,?,?,?,?)")) {
                for (Point pt : points) {
                    p.setString(1, pt.machineId());
                    p.setLong(2, pt.at().toEpochMilli());
                    p.setInt(3, pt.windows());
                    setDouble(p, 4, pt.maxScore());
                    setDouble(p, 5, pt.meanScore());
                    p.setString(6, pt.level());
                    setDouble(p, 7, pt.warning());
                    setDouble(p, 8, pt.critical());
                    p.setString(9, pt.model());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    private static void setDouble(PreparedStatement p, int i, double v) throws SQLException {
        if (v == v) {
            p.setDouble(i, v);
        } else {
            p.setNull(i, java.sql.Types.REAL);
        }
    }

    private static double getDouble(ResultSet r, String col) throws SQLException {
        double v = r.getDouble(col);
        return r.wasNull() ? Double.NaN : v;
    }

    /** A machine's points in [from, to), oldest first, at most {@code limit}. */
    public synchronized List<Point> history(String machineId, Instant from, Instant to, int limit) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM score_history WHERE machine_id=? AND at>=? AND at<? "
                + "ORDER BY at LIMIT ?")) {
            p.setString(1, machineId);
            p.setLong(2, from.toEpochMilli());
            p.setLong(3, to.toEpochMilli());
            p.setInt(4, limit);
            List<Point> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Point(r.getString("machine_id"), Instant.ofEpochMilli(r.getLong("at")), r.getInt("windows"),
                            getDouble(r, "max_score"), getDouble(r, "mean_score"), r.getString("level"),
                            getDouble(r, "warning"), getDouble(r, "critical"), r.getString("model")));
                }
            }
            return out;
        }
    }

    /**
     * Deletes the points older than {@code retention} before {@code now} (the service clock, never the data's: one
     * window stamped a year ahead would otherwise have taken every machine's history with it); returns how many.
     */
    public synchronized int prune(java.time.Duration retention, Instant now) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("DELETE FROM score_history WHERE at < ?")) {
            p.setLong(1, now.minus(retention).toEpochMilli());
            return p.executeUpdate();
        }
    }

    public synchronized java.util.Optional<Feedback> feedback(String machineId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM feedback WHERE machine_id=?")) {
            p.setString(1, machineId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? java.util.Optional.of(new Feedback(machineId, r.getInt("false_alarms"),
                        r.getDouble("threshold_factor"), Instant.ofEpochMilli(r.getLong("updated_at"))))
                        : java.util.Optional.empty();
            }
        }
    }

    public synchronized void saveFeedback(Feedback f) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO feedback(machine_id, false_alarms, "
                + "threshold_factor, updated_at) VALUES (?,?,?,?)")) {
            p.setString(1, f.machineId());
            p.setInt(2, f.falseAlarms());
            p.setDouble(3, f.thresholdFactor());
            p.setLong(4, f.updatedAt().toEpochMilli());
            p.executeUpdate();
        }
    }

    /**
     * One model deployment.
     *
     * @param bundle the stored bundle file
     * @param action deploy, rollback or promote
     */
    public record Deployment(String machineId, String version, java.nio.file.Path bundle, String action, String by,
                             Instant at) {
    }

    public synchronized void recordDeployment(Deployment d) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO deployments(machine_id, version, bundle, action, by, at) "
                + "VALUES (?,?,?,?,?,?)")) {
            p.setString(1, d.machineId());
            p.setString(2, d.version());
            p.setString(3, d.bundle().toString());
            p.setString(4, d.action());
            p.setString(5, d.by());
            p.setLong(6, d.at().toEpochMilli());
            p.executeUpdate();
        }
    }

    /** A machine's deployments, newest first. */
    public synchronized List<Deployment> deployments(String machineId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM deployments WHERE machine_id=? ORDER BY id DESC")) {
            p.setString(1, machineId);
            List<Deployment> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Deployment(machineId, r.getString("version"), java.nio.file.Path.of(r.getString("bundle")),
                            r.getString("action"), r.getString("by"), Instant.ofEpochMilli(r.getLong("at"))));
                }
            }
            return out;
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        database.close();
    }
}
