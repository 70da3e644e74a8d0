package dev.vigil.model.realdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * NASA IMS tests 1 and 3 over their whole lives (per-snapshot features, tabular path): what an engineer would have
 * lived through with Vigil trained on the first tenth of a machine's life. No bars: the figures are the share of
 * the healthy-looking first half of life spent in alarm (false alarms on drifting healthy running), the alarms
 * raised there, and whether the alarm was on over the last 2 % of life (the failure).
 */
final class ImsLife {
    static final double TRAIN_SHARE = 0.1;
    static final double LAST_SHARE = 0.02;

    private record Test(String file, String fails) {
    }

    private static final List<Test> TESTS = List.of(
            new Test("test1_raw.csv", "bearing 3 inner race and bearing 4 rolling element"),
            new Test("test3_raw.csv", "bearing 3 outer race"));

    private ImsLife() {
    }

    static DatasetReport evaluate(Path cache, Path work, Consumer<String> log) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        int quietFirstHalf = 0;
        int onAtEnd = 0;
        int run = 0;
        for (Test t : TESTS) {
            Path file = cache.resolve("ims").resolve(t.file());
            if (!Files.exists(file)) {
                log.accept("ims-life: " + file + " missing, skipped");
                continue;
            }
            Csv csv = Csv.read(file);
            int n = csv.rows().size();
            int train = (int) Math.round(TRAIN_SHARE * n);
            String name = t.file().replace("_raw.csv", "");
            Ims.Alarms a = Ims.alarms(csv, train, work, "ims-" + name, i -> i < n / 2, log);
            rows.add(row(name, "Vigil (" + a.detector() + ")", a.vigil(), train));
            rows.add(row(name, EngineerFeedback.ROW, a.engineered(), train));
            rows.add(row(name, "Vigil, following drift", a.followed(), train));
            rows.add(row(name, "RMS/kurtosis 3 sigma", a.threshold(), train));
            rows.add(row(name, "PCA T2+Q", a.pca(), train));
            Life v = Life.of(a.vigil(), train);
            quietFirstHalf += v.raisedFirstHalf() == 0 ? 1 : 0;
            onAtEnd += v.shareAtEnd() >= 0.5 ? 1 : 0;
            run++;
            protocols.add(String.format(Locale.ROOT, "%s: %d snapshots, fails by %s; trained on the first %d (%.1f s)",
                    name, n, t.fails(), train, a.trainSeconds()));
        }
        List<DatasetReport.Bar> bars = List.of(
                new DatasetReport.Bar("whole lives: no alarm raised in the first half of life (reported, no bar)", true,
                        quietFirstHalf + " of " + run + " tests"),
                new DatasetReport.Bar("whole lives: alarm on over most of the last 2 % of life (reported, no bar)", true,
                        onAtEnd + " of " + run + " tests"));
        String protocol = "The other two run-to-failure tests, as the per-snapshot table ships them (a snapshot every 5 "
                + "or 10 minutes; every column, nothing named by hand). " + String.join("; ", protocols) + ". `vigil "
                + "score` on all snapshots. The first half of each life is as healthy as anyone can tell from the "
                + "published analyses, so alarms there are false alarms on drifting healthy running.";
        return new DatasetReport("NASA IMS bearings, tests 1 and 3 (whole lives, per-snapshot features)",
                Ims.SOURCE + "; per-snapshot statistics as `data/processed/test1_raw.csv` and `test3_raw.csv` in the "
                        + "public GitHub repository fatemeh-studio/nasa-bearing-anomaly (MIT).",
                protocol, List.of("test", "detector", "first half: share alarmed", "first half: alarms raised",
                        "second half: alarms raised", "first alarm (snapshot)", "last 2 %: share alarmed"), rows, bars,
                "The question the issue asked of run-to-failure bearings: does the alarm come on soon after training "
                        + "and flap through the healthy part of life? Test 3's outer-race defect is known to show "
                        + "late and weakly in these statistics; its last snapshots hold almost no signal (the rig "
                        + "stopped), which Vigil reports as a sensor problem rather than as the machine.");
    }

    private static List<String> row(String test, String detector, boolean[] alarm, int train) {
        Life l = Life.of(alarm, train);
        return List.of(test, detector, Cwru.pct(l.shareFirstHalf()), String.valueOf(l.raisedFirstHalf()),
                String.valueOf(l.raisedSecondHalf()), l.first() < 0 ? "none" : String.valueOf(l.first()),
                Cwru.pct(l.shareAtEnd()));
    }

    /** An alarm sequence over a life, judged after the training part. */
    record Life(double shareFirstHalf, int raisedFirstHalf, int raisedSecondHalf, int first, double shareAtEnd) {
        static Life of(boolean[] a, int train) {
            int half = a.length / 2;
            int end = (int) Math.floor(a.length * (1 - LAST_SHARE));
            int on = 0;
            int raisedFirst = 0;
            int raisedSecond = 0;
            int first = -1;
            int atEnd = 0;
            for (int i = train; i < a.length; i++) {
                boolean raised = a[i] && (i == train || !a[i - 1]);
                if (raised && first < 0) {
                    first = i;
                }
                if (i < half) {
                    on += a[i] ? 1 : 0;
                    raisedFirst += raised ? 1 : 0;
                } else {
                    raisedSecond += raised ? 1 : 0;
                }
                if (i >= end) {
                    atEnd += a[i] ? 1 : 0;
                }
            }
            return new Life((double) on / Math.max(1, half - train), raisedFirst, raisedSecond, first,
                    (double) atEnd / Math.max(1, a.length - end));
        }
    }
}
