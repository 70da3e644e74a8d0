package dev.vigil.format;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads and writes labels.csv: {@code start_s,end_s,fault,severity,category,channel}. */
public final class LabelsCsv {
    static final String[] HEADER = {"start_s", "end_s", "fault", "severity", "category", "channel"};

    private LabelsCsv() {
    }

    public static void write(Path file, List<Label> labels) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER)
                     .setRecordSeparator('\n').get())) {
            for (Label l : labels) {
                p.printRecord(num(l.startS()), num(l.endS()), l.fault(), num(l.severity()), l.category(), l.channel());
            }
        }
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    public static List<Label> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "labels file is missing");
        }
        List<Label> labels = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreSurroundingSpaces(true).get().parse(r)) {
            List<String> header = parser.getHeaderNames();
            for (int i = 0; i < 5; i++) {
                if (!header.contains(HEADER[i])) {
                    throw new DatasetFormatException(file, 1, 0, "missing column '" + HEADER[i]
                            + "' (expected header " + String.join(",", HEADER) + ")");
                }
            }
            for (CSVRecord rec : parser) {
                long line = rec.getParser().getCurrentLineNumber();
                if (!rec.isConsistent()) {
                    throw new DatasetFormatException(file, line, 0, "row has " + rec.size() + " fields, header has "
                            + header.size());
                }
                double start = number(file, line, header, rec, "start_s");
                double end = number(file, line, header, rec, "end_s");
                double severity = number(file, line, header, rec, "severity");
                String category = rec.get("category");
                String channel = rec.isMapped("channel") ? rec.get("channel") : "";
                try {
                    labels.add(new Label(start, end, rec.get("fault"), severity, category, channel));
                } catch (IllegalArgumentException e) {
                    throw new DatasetFormatException(file, line, 0, e.getMessage());
                }
            }
        } catch (UncheckedIOException e) {
            throw new DatasetFormatException(file, "unreadable CSV: " + e.getCause().getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new DatasetFormatException(file, "unreadable CSV: " + e.getMessage());
        }
        return labels;
    }

    private static double number(Path file, long line, List<String> header, CSVRecord rec, String column)
            throws DatasetFormatException {
        String text = rec.get(column);
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below with its position
        }
        throw new DatasetFormatException(file, line, header.indexOf(column) + 1,
                "column '" + column + "': expected a finite number, found '" + text + "'");
    }
}
