package dev.vigil.model.realdata;

import java.util.List;

/**
 * One dataset's outcome, as docs/QUALITY.md shows it.
 *
 * @param name dataset name
 * @param source where the data comes from, with attribution
 * @param protocol what was trained on and what was scored
 * @param header column names of the figures table
 * @param rows the figures: Vigil's and the baselines', from the same run
 * @param bars the bars, each met or not, with what was measured
 * @param meaning what the figures mean for an engineer
 */
record DatasetReport(String name, String source, String protocol, List<String> header, List<List<String>> rows,
                     List<Bar> bars, String meaning) {

    DatasetReport {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        bars = List.copyOf(bars);
    }

    /** One pass/fail bar and the figure it was judged on; a text ending in "(reported, no bar)" is a figure only. */
    record Bar(String text, boolean met, String measured) {
        boolean reportedOnly() {
            return text.endsWith("(reported, no bar)");
        }
    }
}
