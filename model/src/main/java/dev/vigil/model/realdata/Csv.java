package dev.vigil.model.realdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The plain comma-separated files these datasets ship (no quoting): header plus rows of cells. */
record Csv(List<String> header, List<String[]> rows) {

    static Csv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty");
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                rows.add(lines.get(i).split(",", -1));
            }
        }
        return new Csv(List.of(lines.get(0).split(",", -1)), rows);
    }

    int column(String name) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException("no column '" + name + "' in " + header);
        }
        return i;
    }

    /** Numeric values of the named columns, row by row. */
    List<double[]> values(List<String> columns) throws IOException {
        int[] idx = new int[columns.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = column(columns.get(k));
        }
        List<double[]> out = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            double[] v = new double[idx.length];
            for (int k = 0; k < idx.length; k++) {
                v[k] = Double.parseDouble(r[idx[k]]);
            }
            out.add(v);
        }
        return out;
    }

    void write(Path file, int fromRow, int toRow, List<String> extraHeader, List<List<String>> extraCells)
            throws IOException {
        StringBuilder b = new StringBuilder(String.join(",", header));
        extraHeader.forEach(h -> b.append(',').append(h));
        b.append('\n');
        for (int i = fromRow; i < toRow; i++) {
            b.append(String.join(",", rows.get(i)));
            if (!extraCells.isEmpty()) {
                extraCells.get(i).forEach(c -> b.append(',').append(c));
            }
            b.append('\n');
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }
}
