package dev.vigil.model.realdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.eval.Metrics;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Numenta Anomaly Benchmark, realKnownCause/machine_temperature_system_failure.csv: an industrial machine's
 * temperature every 5 minutes for 79 days with four labelled anomaly windows (a planned shutdown and failures).
 * Train on the first 15 % (NAB's probationary period), score the whole file, judge from the end of training on.
 */
final class Nab {
    static final String FILE = "machine_temperature_system_failure.csv";
    static final double TRAIN_SHARE = 0.15;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Nab() {
    }

    static DatasetReport evaluate(Path cache, Path work, Consumer<String> log) throws IOException {
        Path dir = cache.resolve("nab");
        Csv csv = Csv.read(dir.resolve(FILE));
        JsonNode windows = new ObjectMapper().readTree(dir.resolve("combined_windows.json").toFile())
                .get("realKnownCause/" + FILE);
        if (windows == null) {
            throw new IOException(dir.resolve("combined_windows.json") + ": no windows for realKnownCause/" + FILE);
        }
        List<long[]> spans = new ArrayList<>();
        for (JsonNode w : windows) {
            spans.add(new long[]{millis(w.get(0).asText()), millis(w.get(1).asText())});
        }
        int time = csv.column("timestamp");
        List<List<String>> labels = new ArrayList<>();
        long[] at = new long[csv.rows().size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = millis(csv.rows().get(i)[time]);
            labels.add(List.of(window(spans, at[i]) >= 0 ? "failure" : "normal"));
        }
        int trainRows = (int) Math.round(TRAIN_SHARE * at.length);
        Path train = work.resolve("nab-train.csv");
        Path all = work.resolve("nab.csv");
        csv.write(train, 0, trainRows, List.of("label"), labels);
        csv.write(all, 0, at.length, List.of("label"), labels);
        // the engineer knows the failure inside the training period: --label leaves its rows out of fitting
        TrainOptions options = TrainOptions.of(List.of(train)).withInput(
                new InputOptions("timestamp", List.of(), List.of(), "label", null));
        long t0 = System.nanoTime();
        Model model = new Trainer(options, (e, m, tl, vl) -> { }, s -> log.accept("nab: " + s)).train().model();
        double trainS = (System.nanoTime() - t0) / 1e9;
        List<Scored> rows = Scored.run(model, all, "label");
        boolean[] vigil = Ims.alarms(rows);
        // an alarm raised after training outside every labelled window is what an engineer would call false
        boolean[] engineered = Ims.engineered(model, rows, vigil, i -> i >= trainRows && window(spans, at[i]) < 0);
        boolean[] followed = Ims.alarms(Scored.run(model, all, "label", DriftFollower.Settings.defaults()));
        List<double[]> values = csv.values(List.of("value"));
        List<double[]> trainValues = values.subList(0, trainRows);
        double[] limits = Baselines.threeSigma(healthy(trainValues, at, spans));
        double[] lowLimits = lowerLimits(healthy(trainValues, at, spans));
        boolean[] threshold = new boolean[values.size()];
        for (int i = 0; i < threshold.length; i++) {
            double v = values.get(i)[0];
            threshold[i] = v > limits[0] || v < lowLimits[0];
        }
        List<double[]> features = rows.stream().map(Scored::features).toList();
        boolean[] pca = new Baselines.Pca(healthy(features.subList(0, trainRows), at, spans)).alarm(features);

        double months = (at[at.length - 1] - at[trainRows]) / (30.44 * 86_400_000.0);
        List<List<String>> table = new ArrayList<>();
        Outcome v = outcome(vigil, at, spans, trainRows);
        table.add(row("Vigil (" + model.detector().name() + ")", v, months));
        table.add(row(EngineerFeedback.ROW, outcome(engineered, at, spans, trainRows), months));
        table.add(row("Vigil, following drift (`--follow-drift`)", outcome(followed, at, spans, trainRows), months));
        table.add(row("value outside training mean +/- 3 sigma", outcome(threshold, at, spans, trainRows), months));
        table.add(row("PCA T2+Q (Vigil's features)", outcome(pca, at, spans, trainRows), months));
        List<String> firsts = new ArrayList<>();
        for (int k = 0; k < spans.size(); k++) {
            firsts.add(String.format(Locale.ROOT, "window %d (%s to %s%s): %s", k + 1, text(spans.get(k)[0]),
                    text(spans.get(k)[1]), spans.get(k)[0] < at[trainRows] ? ", inside the training period" : "",
                    v.firstAlarm()[k] < 0 ? "no alarm" : "first alarm " + text(v.firstAlarm()[k])));
        }
        long judged = spans.stream().filter(s -> s[1] >= at[trainRows]).count();
        long alarmed = 0;
        for (int k = 0; k < spans.size(); k++) {
            alarmed += spans.get(k)[1] >= at[trainRows] && v.firstAlarm()[k] >= 0 ? 1 : 0;
        }
        List<DatasetReport.Bar> bars = List.of(
                new DatasetReport.Bar("every labelled failure window after training alarmed", alarmed == judged,
                        alarmed + " of " + judged + "; " + String.join("; ", firsts)),
                new DatasetReport.Bar("at most one false alarm per month", v.falseAlarms() <= months,
                        String.format(Locale.ROOT, "%d false alarms in %.1f months", v.falseAlarms(), months)));
        String protocol = String.format(Locale.ROOT, "%d rows every 5 min. `vigil train --label label` on the first "
                + "%.0f %% (%d rows, %.1f days; the labelled rows of the first window, which falls inside it, are left "
                + "out of fitting; %.1f s to train), `vigil score` on everything; alarms judged from the end of training "
                + "on. An alarm raised inside a labelled window detects it, any other raised alarm is a false alarm. "
                + "NAB score: Vigil's evaluate command's NAB-style standard profile over the judged part (100 perfect, "
                + "0 = never alarming).", at.length, 100 * TRAIN_SHARE, trainRows,
                (at[trainRows] - at[0]) / 86_400_000.0, trainS);
        return new DatasetReport("NAB machine temperature (realKnownCause)",
                "Numenta Anomaly Benchmark (public GitHub repository numenta/NAB, MIT): `data/realKnownCause/" + FILE
                        + "` and its windows in `labels/combined_windows.json`.", protocol,
                List.of("detector", "windows alarmed", "false alarms", "false alarms per month", "NAB score"), table, bars,
                "One slow temperature signal with known failures: the test of whether Vigil's levels survive "
                        + "months of real drift (day and night, set-point changes) while still catching failures that "
                        + "show as gradual departures. Every false alarm counted here would have been an engineer "
                        + "sent to a healthy machine.");
    }

    /** Training rows outside every labelled window. */
    private static List<double[]> healthy(List<double[]> rows, long[] at, List<long[]> spans) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (window(spans, at[i]) < 0 && Double.isFinite(rows.get(i)[0])) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    private static double[] lowerLimits(List<double[]> train) {
        double[] col = Baselines.column(train, 0);
        return new double[]{Baselines.mean(col) - 3 * Baselines.sd(col)};
    }

    /**
     * @param firstAlarm per window, when an alarm was first up inside it (epoch millis), or -1
     * @param falseAlarms alarms raised outside every window, from the end of training on
     * @param nab NAB-style score over the judged part
     */
    record Outcome(long[] firstAlarm, int falseAlarms, double nab) {
    }

    static Outcome outcome(boolean[] alarm, long[] at, List<long[]> spans, int from) {
        long[] first = new long[spans.size()];
        java.util.Arrays.fill(first, -1);
        int falseAlarms = 0;
        Metrics m = new Metrics();
        m.startInput("nab");
        for (int i = from; i < alarm.length; i++) {
            int w = window(spans, at[i]);
            boolean raised = alarm[i] && (i == from || !alarm[i - 1]);
            if (w >= 0 && alarm[i] && first[w] < 0) {
                first[w] = at[i];
            } else if (w < 0 && raised) {
                falseAlarms++;
            }
            m.add((at[i] - at[from]) / 1000.0, w >= 0, w >= 0 ? "failure" : null, w >= 0 ? 1 : 0, false, alarm[i], null);
        }
        Object nab = m.summary().get("nab");
        return new Outcome(first, falseAlarms, nab instanceof Double d ? d : Double.NaN);
    }

    private static List<String> row(String name, Outcome o, double months) {
        long hit = java.util.Arrays.stream(o.firstAlarm()).filter(t -> t >= 0).count();
        return List.of(name, hit + " of " + o.firstAlarm().length, String.valueOf(o.falseAlarms()),
                String.format(Locale.ROOT, "%.1f", o.falseAlarms() / months), String.format(Locale.ROOT, "%.1f", o.nab()));
    }

    static int window(List<long[]> spans, long t) {
        for (int k = 0; k < spans.size(); k++) {
            if (t >= spans.get(k)[0] && t <= spans.get(k)[1]) {
                return k;
            }
        }
        return -1;
    }

    static long millis(String text) {
        String t = text.length() > 19 ? text.substring(0, 19) : text;
        return LocalDateTime.parse(t, TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static String text(long millis) {
        return TIME.format(LocalDateTime.ofEpochSecond(millis / 1000, 0, ZoneOffset.UTC)).substring(0, 16);
    }
}
