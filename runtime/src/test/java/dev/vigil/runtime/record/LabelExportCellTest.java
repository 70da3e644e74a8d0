package dev.vigil.runtime.record;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What engineers typed is exported as text: a note starting like a formula never runs in a spreadsheet. */
class LabelExportCellTest {
    @Test
    void formulaLikeCellsAreKeptAsText() {
        assertThat(LabelExport.cell("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
        assertThat(LabelExport.cell("+1")).isEqualTo("'+1");
        assertThat(LabelExport.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(LabelExport.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(LabelExport.cell("\tx")).isEqualTo("'\tx");
        assertThat(LabelExport.cell("bearing replaced")).isEqualTo("bearing replaced");
        assertThat(LabelExport.cell(null)).isNull();
    }
}
