package dev.vigil.format;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Streams a tabular CSV as exported by historians and SCADA systems: a timestamp column (ISO-8601 with or
 * without offset, or {@code yyyy-MM-dd HH:mm:ss[.fff]}) or none, numeric sensor columns, optional label
 * columns. The separator ({@code ,}, {@code ;} or a tab) is detected from the header unless given; quoted headers, CRLF line
 * ends, a UTF-8 byte-order mark and decimal commas (with {@code ;}) are accepted. Empty cells and NaN/NA/null
 * are missing values (NaN). Anything else that is not a number is an error naming line, column and value.
 */
public final class TabularCsvReader implements AutoCloseable {
    private static final Set<String> TIME_NAMES = Set.of("time", "timestamp", "datetime", "date", "ts", "date_time",
            "zeit", "zeitstempel", "time_stamp");
    private static final Set<String> LABEL_NAMES = Set.of("label", "labels", "fault", "fault_type", "severity",
            "category", "channel", "state", "class");
    private static final Set<String> MISSING = Set.of("", "nan", "na", "n/a", "null", "none", "-");
    private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d*,\\d+([eE][+-]?\\d+)?");
    private static final DateTimeFormatter SPACE_LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    /**
     * Reading options.
     *
     * @param timestampColumn name of the timestamp column; null to detect it; "" to force row indices
     * @param labelColumns names of label columns; null to detect them by name
     * @param zone time zone for timestamps without an offset
     * @param separator the separator, or null to detect it from the header
     */
    public record Options(String timestampColumn, List<String> labelColumns, ZoneId zone, Character separator) {
        public Options {
            zone = zone == null ? ZoneId.of("UTC") : zone;
            if (separator != null && separator != ',' && separator != ';' && separator != '\t') {
                throw new IllegalArgumentException("separator must be ',', ';' or a tab, got '" + separator + "'");
            }
        }

        public static Options defaults() {
            return new Options(null, null, ZoneId.of("UTC"), null);
        }
    }

    private final Path file;
    private final Options options;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final TabularHeader header;
    private final int timeIndex;
    private final int[] valueIndex;
    private final int[] labelIndex;
    private final int width;
    private long rows;

    private TabularCsvReader(Path file, Options options) throws IOException {
        this.file = file;
        this.options = options;
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "file not found");
        }
        char detected = detectSeparator(file);
        char sep = options.separator() != null ? options.separator() : detected;
        Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        try {
            skipByteOrderMark(reader);
            parser = CSVFormat.DEFAULT.builder().setDelimiter(sep).setIgnoreEmptyLines(true)
                    .setIgnoreSurroundingSpaces(true).get().parse(reader);
            records = parser.iterator();
            if (!records.hasNext()) {
                throw new DatasetFormatException(file, 1, 0, "empty file: expected a header row");
            }
            CSVRecord head = records.next();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < head.size(); i++) {
                String name = head.get(i).replace("\uFEFF", "").trim();
                if (name.isEmpty()) {
                    throw new DatasetFormatException(file, 1, i + 1, "empty column name in the header");
                }
                if (names.contains(name)) {
                    throw new DatasetFormatException(file, 1, i + 1, "duplicate column name '" + name + "'");
                }
                names.add(name);
            }
            if (names.size() == 1 && detected != sep) {
                throw new DatasetFormatException(file, 1, 0, "the header has a single column with the separator '" + sep
                        + "', but the file looks '" + detected + "'-separated: wrong --separator?");
            }
            width = names.size();
            timeIndex = findTimeColumn(names);
            List<String> values = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            List<Integer> vi = new ArrayList<>();
            List<Integer> li = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (i == timeIndex) {
                    continue;
                }
                String n = names.get(i);
                boolean label = options.labelColumns() != null ? options.labelColumns().contains(n)
                        : LABEL_NAMES.contains(n.toLowerCase(Locale.ROOT)) || n.toLowerCase(Locale.ROOT).startsWith("label_");
                (label ? labels : values).add(n);
                (label ? li : vi).add(i);
            }
            if (options.labelColumns() != null) {
                for (String l : options.labelColumns()) {
                    if (!names.contains(l)) {
                        throw new DatasetFormatException(file, 1, 0, "label column '" + l + "' not in header " + names);
                    }
                }
            }
            if (values.isEmpty() && options.labelColumns() == null) {
                throw new DatasetFormatException(file, 1, 0, "no numeric sensor columns in header " + names);
            }
            valueIndex = vi.stream().mapToInt(Integer::intValue).toArray();
            labelIndex = li.stream().mapToInt(Integer::intValue).toArray();
            header = new TabularHeader(sep, timeIndex < 0 ? null : names.get(timeIndex), values, labels, sep == ';');
        } catch (UncheckedIOException | IllegalStateException e) {
            reader.close();
            throw new DatasetFormatException(file, "unreadable CSV: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    public static TabularCsvReader open(Path file) throws IOException {
        return open(file, Options.defaults());
    }

    public static TabularCsvReader open(Path file, Options options) throws IOException {
        return new TabularCsvReader(file, options);
    }

    public TabularHeader header() {
        return header;
    }

    /** Excel and many SCADA tools start UTF-8 files with a byte-order mark; it is not part of the first header. */
    private static void skipByteOrderMark(Reader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    private static char detectSeparator(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && line.isBlank()) {
                // skip leading blank lines
            }
            if (line == null) {
                throw new DatasetFormatException(file, 1, 0, "empty file: expected a header row");
            }
            int commas = 0;
            int semis = 0;
            int tabs = 0;
            boolean quoted = false;
            for (char c : line.toCharArray()) {
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == ',') {
                    commas++;
                } else if (!quoted && c == ';') {
                    semis++;
                } else if (!quoted && c == '\t') {
                    tabs++;
                }
            }
            if (tabs > commas && tabs > semis) {
                return '\t';
            }
            return semis > commas ? ';' : ',';
        }
    }

    private int findTimeColumn(List<String> names) throws DatasetFormatException {
        String wanted = options.timestampColumn();
        if (wanted != null) {
            if (wanted.isEmpty()) {
                return -1;
            }
            int i = names.indexOf(wanted);
            if (i < 0) {
                throw new DatasetFormatException(file, 1, 0, "timestamp column '" + wanted + "' not in header " + names);
            }
            return i;
        }
        for (int i = 0; i < names.size(); i++) {
            if (TIME_NAMES.contains(names.get(i).toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** The next row, or null at the end of the file. */
    public TabularRow next() throws DatasetFormatException {
        CSVRecord rec;
        try {
            if (!records.hasNext()) {
                return null;
            }
            rec = records.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new DatasetFormatException(file, parser.getCurrentLineNumber(), 0, "malformed CSV: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        long line = rec.getParser().getCurrentLineNumber();
        if (rec.size() != width) {
            throw new DatasetFormatException(file, line, Math.min(rec.size(), width) + 1, "row has " + rec.size()
                    + " fields, the header has " + width + " (separator '" + header.separator() + "')");
        }
        Instant time = timeIndex < 0 ? null : parseTime(rec.get(timeIndex), line, timeIndex);
        double[] values = new double[valueIndex.length];
        for (int i = 0; i < valueIndex.length; i++) {
            values[i] = parseNumber(rec.get(valueIndex[i]), line, valueIndex[i], header.valueColumns().get(i));
        }
        String[] labels = new String[labelIndex.length];
        for (int i = 0; i < labelIndex.length; i++) {
            labels[i] = rec.get(labelIndex[i]);
        }
        return new TabularRow(line, rows++, time, values, labels);
    }

    private double parseNumber(String cell, long line, int col, String name) throws DatasetFormatException {
        String t = cell.trim();
        if (MISSING.contains(t.toLowerCase(Locale.ROOT))) {
            return Double.NaN;
        }
        if (header.decimalComma() && DECIMAL_COMMA.matcher(t).matches()) {
            t = t.replace(',', '.');
        }
        try {
            double v = Double.parseDouble(t);
            if (Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(file, line, col + 1, "column '" + name + "': expected a number, found '"
                    + cell + "'");
        }
    }

    private Instant parseTime(String cell, long line, int col) throws DatasetFormatException {
        String t = cell.trim();
        try {
            if (t.length() > 10 && t.charAt(10) == 'T') {
                if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                    return OffsetDateTime.parse(t.endsWith("Z") ? t : t.replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2"))
                            .toInstant();
                }
                return LocalDateTime.parse(t).atZone(options.zone()).toInstant();
            }
            return LocalDateTime.parse(t, SPACE_LOCAL).atZone(options.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new DatasetFormatException(file, line, col + 1, "column '" + header.timestampColumn()
                    + "': expected a timestamp (ISO-8601 such as 2026-03-01T08:00:00Z, or yyyy-MM-dd HH:mm:ss), found '"
                    + cell + "'");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
