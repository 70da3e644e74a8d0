package dev.vigil.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that does not follow its format. The message always names the file and, where they
 * apply, the 1-based line and column, then what was found and what was expected.
 */
public final class DatasetFormatException extends IOException {
    private final transient Path file;
    private final long line;
    private final long column;

    public DatasetFormatException(Path file, long line, long column, String problem) {
        super(format(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public DatasetFormatException(Path file, String problem) {
        this(file, 0, 0, problem);
    }

    /** A JSON or YAML syntax error, positioned where the parser stopped. */
    public static DatasetFormatException syntax(Path file, String language,
                                                com.fasterxml.jackson.core.JsonProcessingException e) {
        var loc = e.getLocation();
        return new DatasetFormatException(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                "invalid " + language + ": " + e.getOriginalMessage());
    }

    private static String format(Path file, long line, long column, String problem) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        return sb.append(": ").append(problem).toString();
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is not tied to a line. */
    public long line() {
        return line;
    }

    /** 1-based column, or 0 when the problem is not tied to a column. */
    public long column() {
        return column;
    }
}
