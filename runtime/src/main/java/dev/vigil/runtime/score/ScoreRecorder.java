package dev.vigil.runtime.score;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.store.MachineStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Downsamples each machine's assessments into fixed buckets of data time (the worst window survives, with the
 * mean) for the score history. Cheap and in memory on the scoring path; {@link #drain()} hands the buckets to
 * the store in one batch. An open bucket is drained as it stands and drained again, fuller, later (the store
 * replaces it). Thread-safe.
 */
public final class ScoreRecorder {
    private static final List<String> LEVELS = List.of("normal", "transient", "sensor", "warning", "critical");
    private final long bucketMillis;
    private final Map<String, Bucket> open = new HashMap<>();
    private final List<MachineStore.Point> closed = new ArrayList<>();

    public ScoreRecorder(long bucketMillis) {
        this.bucketMillis = bucketMillis;
    }

    private static final class Bucket {
        final long at;
        int windows;
        int scored;
        double max = Double.NaN;
        double sum;
        String level = "normal";
        double warning;
        double critical;
        String model;

        Bucket(long at) {
            this.at = at;
        }

        MachineStore.Point point(String machineId) {
            return new MachineStore.Point(machineId, Instant.ofEpochMilli(at), windows, max, scored == 0 ? Double.NaN
                    : sum / scored, level, warning, critical, model);
        }
    }

    public synchronized void record(String machineId, String model, List<Assessment> assessments) {
        for (Assessment a : assessments) {
            long at = Math.floorDiv(a.epochMillis(), bucketMillis) * bucketMillis;
            Bucket b = open.get(machineId);
            if (b == null || b.at != at) {
                if (b != null) {
                    closed.add(b.point(machineId));
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
            if (LEVELS.indexOf(a.level()) > LEVELS.indexOf(b.level)) {
                b.level = a.level();
            }
            b.warning = a.warning();
            b.critical = a.critical();
            b.model = model;
        }
    }

    /** The closed buckets since the last drain and the open ones as they stand. */
    public synchronized List<MachineStore.Point> drain() {
        List<MachineStore.Point> out = new ArrayList<>(closed);
        closed.clear();
        open.forEach((m, b) -> out.add(b.point(m)));
        return out;
    }
}
