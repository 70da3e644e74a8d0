package dev.vigil.model.data;

/**
 * One data-quality finding.
 *
 * @param level {@code error} (training stops) or {@code warning}
 * @param file the input file or recording
 * @param column the column or channel, or empty when the whole input is concerned
 * @param rows the affected rows or windows in words ({@code rows 120-340}), or empty
 * @param problem what is wrong and what to do about it
 */
public record Finding(String level, String file, String column, String rows, String problem) {
    public static final String ERROR = "error";
    public static final String WARNING = "warning";

    public boolean isError() {
        return ERROR.equals(level);
    }

    /** One line: {@code file: column 'x', rows 3-9: problem}. */
    public String line() {
        StringBuilder sb = new StringBuilder(file).append(": ");
        if (!column.isEmpty()) {
            sb.append("column '").append(column).append("'");
            sb.append(rows.isEmpty() ? ": " : ", ");
        }
        if (!rows.isEmpty()) {
            sb.append(rows).append(": ");
        }
        return sb.append(problem).toString();
    }
}
