package dev.vigil.model.data;

import dev.vigil.format.DatasetFormatException;
import dev.vigil.format.TabularCsvReader;
import dev.vigil.format.TabularHeader;
import dev.vigil.format.TabularRow;
import dev.vigil.model.feature.FeatureSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides what each numeric CSV column is, judged over all training files together (controller and historian
 * exports carry unused axes, run numbers and set points beside the sensors):
 * <ul>
 *   <li><b>constant</b> in every file at one value: carries nothing; left out with a warning;</li>
 *   <li><b>run identifier</b>: whole numbers, constant within each file but different between files (program
 *       number, batch): left out, it would make every new run look anomalous;</li>
 *   <li><b>counter</b>: whole numbers that rise (or fall) on nearly every row (sequence numbers, file indexes):
 *       left out, a new row always lies beyond the training range;</li>
 *   <li><b>set point</b>: a handful of levels (at most {@value #LEVELS} values cover
 *       {@value #LEVEL_SHARE_PCT} % of the rows) held over stretches of rows (speed, tool, mode, supply
 *       frequency): used as operating context, as if named with {@code --context};</li>
 *   <li>otherwise a signal, modelled.</li>
 * </ul>
 * Columns the user named with {@code --context} or {@code --ignore} are left as named. Every decision is a
 * named warning, so that a user who disagrees knows which option overrides it.
 */
final class ColumnRoles {
    static final int LEVELS = 10;
    static final int LEVEL_SHARE_PCT = 95;
    private static final int MIN_ROWS_FOR_LEVELS = 100;
    private static final int HISTOGRAM_CAP = 64;

    private ColumnRoles() {
    }

    /** Per-file statistics of one column. */
    private static final class Stats {
        long finite;
        long changes;
        long rises;
        long falls;
        boolean integral = true;
        double first = Double.NaN;
        boolean constant = true;
        double prev = Double.NaN;
        final Map<Double, Long> histogram = new HashMap<>();
        boolean histogramFull;

        void add(double v) {
            if (v != v) {
                return;
            }
            finite++;
            integral &= v == Math.rint(v);
            if (first != first) {
                first = v;
            } else if (v != first) {
                constant = false;
            }
            if (prev == prev && v != prev) {
                changes++;
                if (v > prev) {
                    rises++;
                } else {
                    falls++;
                }
            }
            prev = v;
            if (!histogramFull) {
                histogram.merge(v, 1L, Long::sum);
                histogramFull = histogram.size() > HISTOGRAM_CAP;
            }
        }
    }

    /** The spec with constant, run-identifying and counter columns removed and set points moved to context. */
    static FeatureSpec refine(FeatureSpec spec, List<Path> files, InputOptions o, DataQualityReport.Builder dq)
            throws IOException {
        List<String> columns = spec.tabularColumns();
        List<Map<String, Stats>> perFile = new ArrayList<>();
        for (Path f : files) {
            perFile.add(profile(f, columns, o, spec.timestampColumn()));
        }
        String where = files.size() == 1 ? files.get(0).toString() : files.size() + " training files";
        List<String> modelled = new ArrayList<>();
        List<String> context = new ArrayList<>(spec.contextColumns());
        Map<String, Double> constants = new LinkedHashMap<>();
        for (String c : columns) {
            List<Stats> s = perFile.stream().map(m -> m.get(c)).filter(x -> x != null && x.finite > 0).toList();
            if (s.isEmpty()) {
                modelled.add(c); // no numbers at all: the per-file quality check names it
                continue;
            }
            boolean integral = s.stream().allMatch(x -> x.integral);
            boolean constantEach = s.stream().allMatch(x -> x.constant);
            boolean sameEverywhere = constantEach && s.stream().allMatch(x -> x.first == s.get(0).first);
            long rows = s.stream().mapToLong(x -> x.finite).sum();
            long changes = s.stream().mapToLong(x -> x.changes).sum();
            boolean oneWay = s.stream().allMatch(x -> x.rises == 0 || x.falls == 0);
            if (sameEverywhere) {
                constants.put(c, s.get(0).first);
                dq.warning(where, c, "", "constant (every value is " + num(s.get(0).first) + ") in all training data: "
                        + "left out, it carries no information (a row where it moves is reported as news)");
            } else if (constantEach && integral && s.size() > 1) {
                dq.warning(where, c, "", "whole numbers, constant within each file but different between files: it "
                        + "identifies the run (program number, batch), so it is left out; name it with --context if it "
                        + "is an operating condition");
            } else if (integral && oneWay && changes >= 10 && changes >= 0.9 * (rows - s.size())) {
                dq.warning(where, c, "", "a counter (whole numbers changing one way on nearly every row): it identifies "
                        + "rows, not the machine's state, so it is left out");
            } else if (setPoint(s, rows)) {
                context.add(c);
                dq.warning(where, c, "", "holds a handful of levels (" + levels(s) + ") over stretches of rows: treated as "
                        + "operating context (set point, tool, mode), as with --context; name it with --ignore to leave it "
                        + "out");
            } else {
                modelled.add(c);
            }
        }
        if (modelled.isEmpty()) {
            throw new DatasetFormatException(files.get(0), 1, 0, "no signal columns left to model: "
                    + "every numeric column is constant, a counter, a run identifier or a set point (see the warnings)");
        }
        return new FeatureSpec(spec.inputKind(), spec.windowSeconds(), spec.hopSeconds(), spec.channels(),
                spec.bearing(), spec.envelopeBandFraction(), spec.tabularWindowRows(), modelled, context,
                spec.categoricalContextColumns(), spec.timestampColumn(), constants, 0, 0);
    }

    /** A handful of values cover nearly every row, and the value changes on few rows. */
    private static boolean setPoint(List<Stats> s, long rows) {
        if (rows < MIN_ROWS_FOR_LEVELS || s.stream().anyMatch(x -> x.histogramFull)) {
            return false;
        }
        Map<Double, Long> all = merged(s);
        long covered = all.values().stream().sorted((a, b) -> Long.compare(b, a)).limit(LEVELS)
                .mapToLong(Long::longValue).sum();
        long changes = s.stream().mapToLong(x -> x.changes).sum();
        return all.size() > 1 && covered * 100 >= LEVEL_SHARE_PCT * rows && changes * 5 <= rows;
    }

    private static Map<Double, Long> merged(List<Stats> s) {
        Map<Double, Long> all = new HashMap<>();
        s.forEach(x -> x.histogram.forEach((k, v) -> all.merge(k, v, Long::sum)));
        return all;
    }

    private static String levels(List<Stats> s) {
        Map<Double, Long> all = merged(s);
        return all.size() + " values, mostly " + all.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(4)
                .map(e -> num(e.getKey())).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    private static Map<String, Stats> profile(Path file, List<String> columns, InputOptions o, String timestamp)
            throws IOException {
        Map<String, Stats> out = new LinkedHashMap<>();
        TabularCsvReader.Options opts = new TabularCsvReader.Options(timestamp, textColumns(file, columns, o, timestamp),
                null, o.separator());
        try (TabularCsvReader r = TabularCsvReader.open(file, opts)) {
            TabularHeader h = r.header();
            int[] idx = new int[columns.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = h.valueIndex(columns.get(i));
                if (idx[i] >= 0) {
                    out.put(columns.get(i), new Stats());
                }
            }
            TabularRow row;
            while ((row = r.next()) != null) {
                for (int i = 0; i < idx.length; i++) {
                    if (idx[i] >= 0) {
                        out.get(columns.get(i)).add(row.values()[idx[i]]);
                    }
                }
            }
        }
        return out;
    }

    /** Every column but the timestamp and the numeric ones is read as text (names, labels, notes). */
    private static List<String> textColumns(Path file, List<String> numeric, InputOptions o, String timestamp)
            throws IOException {
        try (TabularCsvReader probe = TabularCsvReader.open(file, new TabularCsvReader.Options(timestamp, List.of(),
                null, o.separator()))) {
            return probe.header().valueColumns().stream().filter(c -> !numeric.contains(c)).toList();
        }
    }
}
