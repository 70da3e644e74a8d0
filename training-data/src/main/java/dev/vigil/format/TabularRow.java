package dev.vigil.format;

import java.time.Instant;

/**
 * One row of a tabular CSV.
 *
 * @param line 1-based line number in the file
 * @param index 0-based data row index (the time axis when the file has no timestamp column)
 * @param time the row's timestamp, or null when the file has none
 * @param values numeric columns in header order; NaN where a cell is empty (missing)
 * @param labels label columns in header order; empty strings where a cell is empty
 */
public record TabularRow(long line, long index, Instant time, double[] values, String[] labels) {
}
