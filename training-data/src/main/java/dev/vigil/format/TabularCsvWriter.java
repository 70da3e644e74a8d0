package dev.vigil.format;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a tabular CSV: {@code timestamp} (ISO-8601 UTC), value columns, then label columns. */
public final class TabularCsvWriter implements AutoCloseable {
    private final CSVPrinter printer;
    private final int values;
    private final int labels;

    public TabularCsvWriter(Path file, List<String> valueColumns, List<String> labelColumns) throws IOException {
        List<String> header = new ArrayList<>();
        header.add("timestamp");
        header.addAll(valueColumns);
        header.addAll(labelColumns);
        this.values = valueColumns.size();
        this.labels = labelColumns.size();
        this.printer = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).setRecordSeparator('\n').get());
    }

    public void write(Instant time, double[] rowValues, String... rowLabels) throws IOException {
        if (rowValues.length != values || rowLabels.length != labels) {
            throw new IllegalArgumentException("expected " + values + " values and " + labels + " labels");
        }
        List<String> cells = new ArrayList<>(1 + values + labels);
        cells.add(time.toString());
        for (double v : rowValues) {
            cells.add(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v).trim());
        }
        cells.addAll(List.of(rowLabels));
        printer.printRecord(cells);
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
