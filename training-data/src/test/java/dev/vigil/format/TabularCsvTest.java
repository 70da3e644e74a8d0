package dev.vigil.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TabularCsvTest {

    private static List<TabularRow> readAll(TabularCsvReader r) throws Exception {
        List<TabularRow> rows = new ArrayList<>();
        TabularRow row;
        while ((row = r.next()) != null) {
            rows.add(row);
        }
        return rows;
    }

    private static Path file(Path dir, String content) throws Exception {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void historianExportWithCommasIsoTimestampsAndLabels(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "timestamp,\"Spindle Speed (rpm)\",\"Vib RMS (g)\",fault,severity\n"
                + "2026-03-01T08:00:00Z,12000,0.12,normal,0\n"
                + "2026-03-01T08:00:01+01:00,12010,,bearing-outer,0.2\n");
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            TabularHeader h = r.header();
            assertThat(h.separator()).isEqualTo(',');
            assertThat(h.timestampColumn()).isEqualTo("timestamp");
            assertThat(h.valueColumns()).containsExactly("Spindle Speed (rpm)", "Vib RMS (g)");
            assertThat(h.labelColumns()).containsExactly("fault", "severity");
            List<TabularRow> rows = readAll(r);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).time()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
            assertThat(rows.get(1).time()).isEqualTo(Instant.parse("2026-03-01T07:00:01Z"));
            assertThat(rows.get(0).values()).containsExactly(12000, 0.12);
            assertThat(rows.get(1).values()[1]).as("empty cell = missing").isNaN();
            assertThat(rows.get(1).labels()).containsExactly("bearing-outer", "0.2");
            assertThat(rows.get(1).line()).isEqualTo(3);
        }
    }

    @Test
    void europeanScadaExportWithSemicolonsDecimalCommasCrlfAndSpaceTimestamps(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "\uFEFF\"Zeit\";\"Motor Strom A\";\"Temp C\"\r\n"
                + "2026-03-01 08:00:00;12,5;40,25\r\n"
                + "2026-03-01 08:00:01.500;12,75;NaN\r\n");
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            assertThat(r.header().separator()).isEqualTo(';');
            assertThat(r.header().decimalComma()).isTrue();
            assertThat(r.header().timestampColumn()).isEqualTo("Zeit");
            List<TabularRow> rows = readAll(r);
            assertThat(rows.get(0).values()).containsExactly(12.5, 40.25);
            assertThat(rows.get(1).time()).isEqualTo(Instant.parse("2026-03-01T08:00:01.500Z"));
            assertThat(rows.get(1).values()[1]).isNaN();
        }
    }

    @Test
    void noTimestampColumnMeansRowIndices(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "a,b\n1,2\n3,4\n5,6\n");
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            assertThat(r.header().timestampColumn()).isNull();
            List<TabularRow> rows = readAll(r);
            assertThat(rows).extracting(TabularRow::index).containsExactly(0L, 1L, 2L);
            assertThat(rows).allSatisfy(row -> assertThat(row.time()).isNull());
        }
    }

    @Test
    void badNumberNamesLineColumnAndValue(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "time,speed,current\n2026-03-01T08:00:00Z,1,2\n2026-03-01T08:00:01Z,1,two\n");
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            r.next();
            assertThatThrownBy(r::next).isInstanceOf(DatasetFormatException.class)
                    .hasMessage(f + ":3:3: column 'current': expected a number, found 'two'");
        }
    }

    @Test
    void badTimestampAndRaggedRowsAreReported(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "time,speed\n01/03/2026 08:00,1\n");
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            assertThatThrownBy(r::next).hasMessageContaining(":2:1:").hasMessageContaining("expected a timestamp")
                    .hasMessageContaining("01/03/2026 08:00");
        }
        Path g = file(tmp, "time,speed,load\n2026-03-01T08:00:00Z,1\n");
        try (TabularCsvReader r = TabularCsvReader.open(g)) {
            assertThatThrownBy(r::next).hasMessageContaining(":2:").hasMessageContaining("row has 2 fields, the header has 3");
        }
    }

    @Test
    void emptyOrHeaderlessFilesAreRejected(@TempDir Path tmp) throws Exception {
        Path f = file(tmp, "");
        assertThatThrownBy(() -> TabularCsvReader.open(f)).hasMessageContaining("empty file");
        Path g = file(tmp, "time,fault\n");
        assertThatThrownBy(() -> TabularCsvReader.open(g)).hasMessageContaining("no numeric sensor columns");
        Path h = file(tmp, "a,a\n1,2\n");
        assertThatThrownBy(() -> TabularCsvReader.open(h)).hasMessageContaining("duplicate column name 'a'");
    }

    @Test
    void writerOutputReadsBack(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("out.csv");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (TabularCsvWriter w = new TabularCsvWriter(f, List.of("rms", "peak"), List.of("fault", "severity"))) {
            w.write(t0, new double[]{0.5, 1.25}, "normal", "0");
            w.write(t0.plusSeconds(1), new double[]{Double.NaN, 2}, "imbalance", "0.3");
        }
        try (TabularCsvReader r = TabularCsvReader.open(f)) {
            List<TabularRow> rows = readAll(r);
            assertThat(rows.get(1).time()).isEqualTo(t0.plusSeconds(1));
            assertThat(rows.get(0).values()).containsExactly(0.5, 1.25);
            assertThat(rows.get(1).values()[0]).isNaN();
            assertThat(rows.get(1).labels()).containsExactly("imbalance", "0.3");
        }
    }
}
