package dev.vigil.model.realdata;

import dev.vigil.model.data.InputOptions;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * NASA IMS bearing run-to-failure, test 2 (bearing 1 fails by an outer-race defect after 984 snapshots), through
 * the tabular path: per-snapshot statistics of all four bearings, one row per 1-s snapshot taken every 10 min.
 * Train on the first 200 snapshots as a user would (the file as it is, every column), score all 984.
 */
final class Ims {
    static final int TRAIN_ROWS = 200;
    static final int QUIET_BEFORE = 500;
    static final int ALARM_BY = 560;
    /** Whom the IMS data comes from, for every report that uses it. */
    static final String SOURCE = "NASA Ames Prognostics Data Repository, IMS Bearing Data Set (University of Cincinnati "
            + "Center for Intelligent Maintenance Systems, Rexnord)";

    private Ims() {
    }

    /**
     * Vigil (plain, with an engineer marking false alarms, and following drift) and the baselines, trained on the
     * first rows of one test's table.
     */
    record Alarms(String detector, double trainSeconds, boolean[] vigil, boolean[] engineered, boolean[] followed,
                  boolean[] threshold, boolean[] pca) {
    }

    /** @param falseAlarm whether an alarm raised at this row is a false one (what the engineer would find) */
    static Alarms alarms(Csv csv, int trainRows, Path work, String name, IntPredicate falseAlarm, Consumer<String> log)
            throws IOException {
        Path train = work.resolve(name + "-train.csv");
        Path all = work.resolve(name + ".csv");
        csv.write(train, 0, trainRows, List.of(), List.of());
        csv.write(all, 0, csv.rows().size(), List.of(), List.of());
        TrainOptions options = TrainOptions.of(List.of(train)).withInput(
                new InputOptions("timestamp", List.of(), List.of(), null, null));
        long t0 = System.nanoTime();
        Model model = new Trainer(options, (e, m, tl, vl) -> { }, s -> log.accept(name + ": " + s)).train().model();
        double trainS = (System.nanoTime() - t0) / 1e9;
        List<Scored> rows = Scored.run(model, all, null);
        boolean[] vigil = alarms(rows);
        boolean[] engineered = engineered(model, rows, vigil, falseAlarm);
        boolean[] followed = alarms(Scored.run(model, all, null, DriftFollower.Settings.defaults()));
        List<String> simpleCols = csv.header().stream().filter(h -> h.endsWith("_rms") || h.endsWith("_kurt")).toList();
        List<double[]> simple = csv.values(simpleCols);
        double[] limits = Baselines.threeSigma(simple.subList(0, trainRows));
        boolean[] threshold = new boolean[simple.size()];
        for (int i = 0; i < threshold.length; i++) {
            threshold[i] = Baselines.exceeds(simple.get(i), limits);
        }
        List<String> numeric = csv.header().stream().filter(h -> h.startsWith("Bearing")).toList();
        List<double[]> allNumeric = csv.values(numeric);
        boolean[] pca = new Baselines.Pca(allNumeric.subList(0, trainRows)).alarm(allNumeric);
        return new Alarms(model.detector().name(), trainS, vigil, engineered, followed, threshold, pca);
    }

    /**
     * The alarms with an engineer marking false ones ({@link EngineerFeedback}), after checking that the replay
     * without any verdict gives exactly the alarms scoring gave (else the replay would not be the service's).
     */
    static boolean[] engineered(Model model, List<Scored> rows, boolean[] vigil, IntPredicate falseAlarm) {
        if (!Arrays.equals(EngineerFeedback.alarms(model.calibration(), rows, i -> false), vigil)) {
            throw new IllegalStateException("the levels' replay does not give the alarms scoring gave");
        }
        return EngineerFeedback.alarms(model.calibration(), rows, falseAlarm);
    }

    static DatasetReport evaluate(Path cache, Path work, Consumer<String> log) throws IOException {
        Csv csv = Csv.read(cache.resolve("ims").resolve("test2_raw.csv"));
        Alarms a = alarms(csv, TRAIN_ROWS, work, "ims-test2", i -> i < QUIET_BEFORE, log);
        boolean[] vigil = a.vigil();
        boolean[] followed = a.followed();
        boolean[] threshold = a.threshold();
        boolean[] pca = a.pca();
        double trainS = a.trainSeconds();
        List<List<String>> table = new ArrayList<>();
        table.add(row("Vigil (" + a.detector() + ")", vigil));
        table.add(row(EngineerFeedback.ROW, a.engineered()));
        table.add(row("Vigil, following drift (`--follow-drift`)", followed));
        table.add(row("RMS/kurtosis 3 sigma", threshold));
        table.add(row("PCA T2+Q", pca));
        Run v = Run.of(vigil);
        List<DatasetReport.Bar> bars = List.of(
                new DatasetReport.Bar("no alarm before snapshot " + QUIET_BEFORE, v.alarmedBefore(QUIET_BEFORE) == 0,
                        v.alarmedBefore(QUIET_BEFORE) + " snapshots alarmed before " + QUIET_BEFORE
                                + (v.firstAlarm() >= 0 ? ", first alarm at " + v.firstAlarm() : "")),
                new DatasetReport.Bar("alarm by snapshot " + ALARM_BY + " and staying on to the end",
                        v.onFrom() >= 0 && v.onFrom() <= ALARM_BY,
                        v.onFrom() < 0 ? "not in alarm at the end" : "on without a break from snapshot " + v.onFrom()));
        String protocol = String.format(Locale.ROOT, "Test 2: %d snapshots (1 s at 20,480 Hz every 10 min) of four "
                + "bearings, reduced to per-channel RMS, mean, standard deviation, maximum, kurtosis and skewness "
                + "(the table as the source ships it, with its file index and file name columns). `vigil train` on the "
                + "first %d rows with the file as it is (no column named by hand; %.1f s to train), `vigil score` on all "
                + "rows. Bars: quiet before snapshot %d; alarm by %d and on to the end (published energy trends cross "
                + "mean + 3 sigma around 530, kurtosis and envelope methods around 620-700).", csv.rows().size(),
                TRAIN_ROWS, trainS, QUIET_BEFORE, ALARM_BY);
        return new DatasetReport("NASA IMS bearings, test 2 (per-snapshot features)",
                SOURCE + "; per-snapshot statistics as `data/processed/"
                        + "test2_raw.csv` in the public GitHub repository fatemeh-studio/nasa-bearing-anomaly (MIT).",
                protocol, List.of("detector", "alarmed before 500", "first alarm", "alarms raised", "on without a break from",
                        "alarmed from 500 on"), table, bars,
                "A run-to-failure test is what a plant sees: healthy running that drifts slowly, then a defect that "
                        + "grows over days. Alarms before snapshot 500 are false alarms (the bearing is healthy as far "
                        + "as anyone can tell); \"on without a break from\" is when an engineer would have had a "
                        + "steady alarm, one snapshot being 10 minutes.");
    }

    static boolean[] alarms(List<Scored> rows) {
        boolean[] a = new boolean[rows.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rows.get(i).alarm();
        }
        return a;
    }

    private static List<String> row(String name, boolean[] alarm) {
        Run r = Run.of(alarm);
        long after = 0;
        for (int i = QUIET_BEFORE; i < alarm.length; i++) {
            after += alarm[i] ? 1 : 0;
        }
        return List.of(name, String.valueOf(r.alarmedBefore(QUIET_BEFORE)),
                r.firstAlarm() < 0 ? "none" : String.valueOf(r.firstAlarm()), String.valueOf(r.episodes()),
                r.onFrom() < 0 ? "not on at the end" : String.valueOf(r.onFrom()),
                Cwru.pct((double) after / Math.max(1, alarm.length - QUIET_BEFORE)));
    }

    /** Summary of an alarm sequence: first alarm, off-to-on changes, and where the final unbroken run starts. */
    record Run(boolean[] alarm, int firstAlarm, int episodes, int onFrom) {
        static Run of(boolean[] a) {
            int first = -1;
            int episodes = 0;
            for (int i = 0; i < a.length; i++) {
                if (a[i] && (i == 0 || !a[i - 1])) {
                    episodes++;
                    first = first < 0 ? i : first;
                }
            }
            int on = -1;
            if (a.length > 0 && a[a.length - 1]) {
                on = a.length - 1;
                while (on > 0 && a[on - 1]) {
                    on--;
                }
            }
            return new Run(a, first, episodes, on);
        }

        int alarmedBefore(int index) {
            int n = 0;
            for (int i = 0; i < Math.min(index, alarm.length); i++) {
                n += alarm[i] ? 1 : 0;
            }
            return n;
        }
    }
}
