package dev.vigil.format;

import java.util.List;

/**
 * The shape of a tabular CSV as detected from its header.
 *
 * @param separator ',' or ';'
 * @param timestampColumn the timestamp column's name, or null when rows are indexed by position
 * @param valueColumns numeric sensor columns
 * @param labelColumns label columns (fault, severity, ...)
 * @param decimalComma whether numbers use a decimal comma (European exports with ';' separators)
 */
public record TabularHeader(char separator, String timestampColumn, List<String> valueColumns,
                            List<String> labelColumns, boolean decimalComma) {
    public TabularHeader {
        valueColumns = List.copyOf(valueColumns);
        labelColumns = List.copyOf(labelColumns);
    }

    public int valueIndex(String column) {
        int i = valueColumns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no value column '" + column + "' (columns: " + valueColumns + ")");
        }
        return i;
    }
}
