package dev.vigil.model.data;

import dev.vigil.format.DatasetFormatException;
import dev.vigil.format.TabularCsvReader;
import dev.vigil.format.TabularHeader;
import dev.vigil.format.TabularRow;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.TabularFeatures;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Reads tabular CSVs (historian/SCADA exports) row by row through the feature pipeline. */
public final class TabularInput {
    private static final int SNIFF_ROWS = 500;
    private static final Set<String> HEALTHY = Set.of("", "0", "0.0", "normal", "ok", "healthy", "false", "no", "none");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d*,\\d+([eE][+-]?\\d+)?");
    private static final Set<String> MISSING = Set.of("", "nan", "na", "n/a", "null", "none", "-");

    private TabularInput() {
    }

    private static TabularCsvReader.Options options(InputOptions o, List<String> text) {
        return new TabularCsvReader.Options(o.timestampColumn(), text, null, o.separator());
    }

    /**
     * Decides which columns are modelled, which condition the model, and which are skipped: numeric and text
     * columns from the first file, then what each numeric column is over all files together ({@link ColumnRoles}).
     */
    public static FeatureSpec deriveSpec(List<Path> files, InputOptions o, int windowRows, DataQualityReport.Builder dq)
            throws IOException {
        return ColumnRoles.refine(deriveSpec(files.get(0), o, windowRows, dq), files, o, dq);
    }

    private static FeatureSpec deriveSpec(Path first, InputOptions o, int windowRows, DataQualityReport.Builder dq)
            throws IOException {
        TabularHeader header;
        try (TabularCsvReader r = TabularCsvReader.open(first, options(o, null))) {
            header = r.header();
        } catch (DatasetFormatException e) {
            if (e.getMessage().contains("no numeric sensor columns")) {
                throw new DatasetFormatException(first, 1, 0, "no numeric columns besides timestamp and labels");
            }
            throw e;
        }
        List<String> all = new ArrayList<>(header.valueColumns());
        all.addAll(header.labelColumns());
        // read everything as text first to tell numeric columns from text ones
        Map<String, Integer> numericCells = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        try (TabularCsvReader r = TabularCsvReader.open(first, options(o, all))) {
            List<String> names = r.header().labelColumns();
            TabularRow row;
            int rows = 0;
            while (rows++ < SNIFF_ROWS && (row = r.next()) != null) {
                for (int i = 0; i < names.size(); i++) {
                    String cell = row.labels()[i].trim();
                    if (MISSING.contains(cell.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    seen.merge(names.get(i), 1, Integer::sum);
                    boolean isNumber = NUMBER.matcher(cell).matches()
                            || (header.decimalComma() && DECIMAL_COMMA.matcher(cell).matches());
                    if (isNumber) {
                        numericCells.merge(names.get(i), 1, Integer::sum);
                    }
                }
            }
        }
        String label = o.labelColumn();
        if (label != null && !all.contains(label)) {
            throw new DatasetFormatException(first, 1, 0, "--label column '" + label + "' is not in the header " + all);
        }
        for (String c : o.context()) {
            if (!all.contains(c)) {
                throw new DatasetFormatException(first, 1, 0, "--context column '" + c + "' is not in the header " + all);
            }
        }
        for (String c : o.ignore()) {
            if (!all.contains(c)) {
                throw new DatasetFormatException(first, 1, 0, "--ignore column '" + c + "' is not in the header " + all);
            }
        }
        List<String> modelled = new ArrayList<>();
        List<String> numericContext = new ArrayList<>();
        List<String> textContext = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String c : header.valueColumns()) {
            if (c.equals(label) || o.ignore().contains(c)) {
                continue;
            }
            // mostly numbers: a numeric column (its odd bad cell is then reported with line and column);
            // mostly text: a text column, skipped unless it is context
            int cells = seen.getOrDefault(c, 0);
            boolean isNumeric = cells > 0 && numericCells.getOrDefault(c, 0) >= 0.9 * cells;
            if (o.context().contains(c)) {
                (isNumeric ? numericContext : textContext).add(c);
            } else if (isNumeric) {
                modelled.add(c);
            } else if (seen.getOrDefault(c, 0) == 0) {
                dq.warning(first.toString(), c, "first " + SNIFF_ROWS + " rows", "column is empty there: not modelled");
            } else {
                skipped.add(c);
            }
        }
        for (String c : header.labelColumns()) {
            if (o.context().contains(c)) {
                textContext.add(c);
            }
        }
        if (!skipped.isEmpty()) {
            dq.warning(first.toString(), String.join(", ", skipped), "", "non-numeric columns skipped (name them with "
                    + "--context if they are operating conditions, or --ignore to silence this)");
        }
        if (modelled.isEmpty()) {
            throw new DatasetFormatException(first, 1, 0, "no numeric columns left to model after --label, --context and --ignore");
        }
        return new FeatureSpec(FeatureSpec.TABULAR, 0, 0, List.of(), null, null, windowRows, modelled, numericContext,
                textContext, header.timestampColumn(), null, 0, 0);
    }

    private static double lenientNumber(String cell) {
        try {
            return Double.parseDouble(cell.trim().replace(',', '.'));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Streams one CSV through the features. Columns are found by name, so the file may carry more (ids, labels,
     * notes); a column the model needs and the file lacks is an error.
     *
     * @param profiles per-column data-quality profiles to update, or null
     */
    public static long read(Path file, FeatureSpec spec, InputOptions o, String labelColumn, DataQualityReport.Builder dq,
                            Map<String, SignalProfile> profiles, Consumer<LabelledObservation> sink) throws IOException {
        Set<String> numericNeeded = new LinkedHashSet<>(spec.tabularColumns());
        numericNeeded.addAll(spec.contextColumns());
        InputOptions opts = new InputOptions(spec.timestampColumn(), o.ignore(), o.context(), labelColumn, o.separator());
        List<String> allColumns;
        // with no label columns declared, every column but the timestamp is listed as a value column
        try (TabularCsvReader probe = TabularCsvReader.open(file, options(opts, List.of()))) {
            allColumns = probe.header().valueColumns();
        }
        for (String need : numericNeeded) {
            if (!allColumns.contains(need)) {
                throw new DatasetFormatException(file, 1, 0, "column '" + need + "' that the model was trained on is missing"
                        + " (columns: " + allColumns + ")");
            }
        }
        for (String need : spec.categoricalContextColumns()) {
            if (!allColumns.contains(need)) {
                throw new DatasetFormatException(file, 1, 0, "context column '" + need + "' is missing");
            }
        }
        if (labelColumn != null && !allColumns.contains(labelColumn)) {
            throw new DatasetFormatException(file, 1, 0, "label column '" + labelColumn + "' is missing (columns: " + allColumns + ")");
        }
        List<String> text = allColumns.stream().filter(c -> !numericNeeded.contains(c)).toList();
        TabularFeatures features = new TabularFeatures(spec);
        long rows = 0;
        try (TabularCsvReader r = TabularCsvReader.open(file, options(opts, text))) {
            TabularHeader h = r.header();
            int[] valueIdx = spec.tabularColumns().stream().mapToInt(h::valueIndex).toArray();
            // columns constant in training are read as text (a scoring file may hold anything there) and parsed here
            int[] constIdx = spec.constantColumns().keySet().stream().mapToInt(c -> h.labelColumns().indexOf(c)).toArray();
            int[] ctxIdx = spec.contextColumns().stream().mapToInt(h::valueIndex).toArray();
            int[] catIdx = spec.categoricalContextColumns().stream().mapToInt(c -> h.labelColumns().indexOf(c)).toArray();
            int labelText = labelColumn == null ? -1 : h.labelColumns().indexOf(labelColumn);
            int labelValue = labelColumn == null || labelText >= 0 ? -1 : h.valueColumns().indexOf(labelColumn);
            Instant firstTime = null;
            Instant previous = null;
            double medianStep = Double.NaN;
            List<Double> firstSteps = new ArrayList<>();
            long duplicates = 0;
            long unsorted = 0;
            long gaps = 0;
            String firstProblemRows = null;
            TabularRow row;
            while ((row = r.next()) != null) {
                double[] values = new double[valueIdx.length];
                for (int i = 0; i < valueIdx.length; i++) {
                    values[i] = row.values()[valueIdx[i]];
                    if (profiles != null) {
                        profiles.computeIfAbsent(spec.tabularColumns().get(i), SignalProfile::new).add(row.line(), values[i]);
                    }
                }
                double[] ctx = new double[ctxIdx.length];
                for (int i = 0; i < ctxIdx.length; i++) {
                    ctx[i] = row.values()[ctxIdx[i]];
                }
                String[] cat = new String[catIdx.length];
                for (int i = 0; i < catIdx.length; i++) {
                    cat[i] = row.labels()[catIdx[i]];
                }
                Instant t = row.time();
                double startS = row.index();
                if (t != null) {
                    firstTime = firstTime == null ? t : firstTime;
                    startS = (t.toEpochMilli() - firstTime.toEpochMilli()) / 1000.0;
                    if (previous != null) {
                        double step = (t.toEpochMilli() - previous.toEpochMilli()) / 1000.0;
                        if (step == 0) {
                            duplicates++;
                            firstProblemRows = firstProblemRows == null ? "line " + row.line() : firstProblemRows;
                        } else if (step < 0) {
                            unsorted++;
                            firstProblemRows = firstProblemRows == null ? "line " + row.line() : firstProblemRows;
                        } else {
                            if (firstSteps.size() < 101) {
                                firstSteps.add(step);
                                if (firstSteps.size() == 101) {
                                    medianStep = firstSteps.stream().sorted().toList().get(50);
                                }
                            } else if (step > 3 * medianStep) {
                                gaps++;
                            }
                        }
                    }
                    previous = t;
                }
                double[] constants = new double[constIdx.length];
                for (int i = 0; i < constIdx.length; i++) {
                    constants[i] = constIdx[i] < 0 ? Double.NaN : lenientNumber(row.labels()[constIdx[i]]);
                }
                Observation obs = features.push(rows, startS, t == null ? Long.MIN_VALUE : t.toEpochMilli(), values, ctx,
                        cat, constants);
                String fault = null;
                double severity = 0;
                if (labelText >= 0) {
                    String v = row.labels()[labelText].trim();
                    if (!HEALTHY.contains(v.toLowerCase(Locale.ROOT))) {
                        fault = v;
                        severity = 1;
                    }
                } else if (labelValue >= 0) {
                    double v = row.values()[labelValue];
                    if (v == v && v != 0) {
                        fault = "anomaly";
                        severity = Math.min(1, Math.abs(v));
                    }
                }
                sink.accept(new LabelledObservation(obs, fault, severity, null, labelColumn != null));
                rows++;
            }
            if (duplicates > 0) {
                dq.warning(file.toString(), String.valueOf(spec.timestampColumn()), "first at " + firstProblemRows,
                        duplicates + " duplicate timestamps");
            }
            if (unsorted > 0) {
                dq.warning(file.toString(), String.valueOf(spec.timestampColumn()), "first at " + firstProblemRows,
                        unsorted + " timestamps go backwards (unsorted rows)");
            }
            if (gaps > 0) {
                dq.warning(file.toString(), String.valueOf(spec.timestampColumn()), "",
                        gaps + " gaps longer than 3x the usual " + medianStep + " s step");
            }
        }
        if (rows < Math.max(1, spec.tabularWindowRows())) {
            dq.error(file.toString(), "", "", "too few rows (" + rows + ") for a window of " + spec.tabularWindowRows() + " rows");
        }
        dq.observations(rows);
        return rows;
    }
}
