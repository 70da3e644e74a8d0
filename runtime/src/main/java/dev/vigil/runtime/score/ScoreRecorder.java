package dev.vigil.runtime.score;

import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.runtime.store.MachineStore;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Downsamples each machine's assessments into fixed buckets of data time (the worst window survives, with the
 * mean) for the score history. Cheap and in memory on the scoring path; {@link #pending()} hands the buckets
 * to the store in one batch and {@link #written} forgets them once committed. An open bucket is written as it
 * stands and written again, fuller, later (the store replaces it). While the store cannot commit, closed buckets
 * wait here: at most {@value #MAX_WAITING} (about 20 MB; 100 machines for 9 hours), the oldest dropped beyond.
 * Thread-safe.
 */
public final class ScoreRecorder {
    private final long bucketMillis;
    private final Map<String, Bucket> open = new HashMap<>();
    private final ArrayDeque<MachineStore.Point> closed = new ArrayDeque<>();
    /** How many closed buckets ever left {@link #closed} (written or dropped): the first one's position. */
    private long gone;
    static final int MAX_WAITING = 200_000;
    private long dropped;

    public ScoreRecorder(long bucketMillis) {
        this.bucketMillis = bucketMillis;
    }

    private static final class Bucket {
        final long at;
        int windows;
        int scored;
        double max = Double.NaN;
        double sum;
        Level level = Level.NORMAL;
        double warning;
        double critical;
        String model;

        Bucket(long at) {
            this.at = at;
        }

        MachineStore.Point point(String machineId) {
            return new MachineStore.Point(machineId, Instant.ofEpochMilli(at), windows, max, scored == 0 ? Double.NaN
                    : sum / scored, level.id(), warning, critical, model);
        }
    }

    public synchronized void record(String machineId, String model, List<Assessment> assessments) {
        for (Assessment a : assessments) {
            long at = Math.floorDiv(a.epochMillis(), bucketMillis) * bucketMillis;
            Bucket b = open.get(machineId);
            if (b == null || b.at != at) {
                if (b != null) {
                    closed.add(b.point(machineId));
                    if (closed.size() > MAX_WAITING) {
                        closed.pollFirst();
                        gone++;
                        dropped++;
                    }
                }
                b = new Bucket(at);
                open.put(machineId, b);
            }
            b.windows++;
            if (a.smoothed() == a.smoothed() && a.score() == a.score()) {
                b.scored++;
                b.sum += a.smoothed();
                b.max = b.max == b.max ? Math.max(b.max, a.smoothed()) : a.smoothed();
            }
            if (a.level().compareTo(b.level) > 0) {
                b.level = a.level();
            }
            b.warning = a.warning();
            b.critical = a.critical();
            b.model = model;
        }
    }

    /**
     * What the store has not yet taken: the closed buckets not yet written and the open ones as they stand. Nothing
     * is removed until {@link #written} says the store committed it: a failed write (the store locked, the disk
     * full) is tried again at the next flush instead of losing its points.
     */
    public synchronized Pending pending() {
        List<MachineStore.Point> out = new ArrayList<>(closed);
        open.forEach((m, b) -> out.add(b.point(m)));
        return new Pending(out, gone + closed.size());
    }

    /** The store committed these: their closed buckets are forgotten (open ones stay, to be written fuller later). */
    public synchronized void written(Pending p) {
        while (gone < p.closedUpTo() && !closed.isEmpty()) {
            closed.pollFirst();
            gone++;
        }
    }

    /** Closed buckets dropped because the store took none for too long. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Closed buckets waiting for the store now. */
    public synchronized int waiting() {
        return closed.size();
    }

    /**
     * Points for the store.
     *
     * @param points closed buckets first, then the open ones as they stood
     * @param closedUpTo the position after the last closed bucket among them (counting every bucket ever closed)
     */
    public record Pending(List<MachineStore.Point> points, long closedUpTo) {
        public Pending {
            points = List.copyOf(points);
        }
    }
}
