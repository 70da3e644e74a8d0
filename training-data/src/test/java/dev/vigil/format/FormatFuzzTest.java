package dev.vigil.format;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the dataset readers with the shipped samples mutated: a CSV with cells, separators, quotes and numbers
 * changed, and a recording whose meta.json is edited. Every input is read or refused with a
 * {@link DatasetFormatException} naming the file (and line and column where they apply); nothing else escapes.
 */
class FormatFuzzTest {
    static final Path SAMPLES = Path.of("samples");
    static final List<String> PIECES = List.of(",", ";", "\"", "\n", "\r\n", "", "nan", "NaN", "1e400", "-", "x",
            "2026-13-01T00:00:00Z", "\u0000", "9999999999999999999999", " ", "\uFEFF", "0x1F", "Infinity", "{", "}",
            "[", "]", ":", "null", "-1", "\"../../x.f32\"", "\"accel_x.f32\"", "1e308", "0");

    private static String mutate(String doc, List<Integer> cuts, List<String> pieces, boolean replace) {
        StringBuilder b = new StringBuilder(doc);
        for (int i = 0; i < cuts.size(); i++) {
            int at = Math.min(cuts.get(i), b.length());
            String p = pieces.get(i % pieces.size());
            if (replace && at < b.length()) {
                b.replace(at, Math.min(b.length(), at + Math.max(1, p.length())), p);
            } else {
                b.insert(at, p);
            }
        }
        return b.toString();
    }

    @Provide
    Arbitrary<String> csv() throws IOException {
        List<String> lines = Files.readAllLines(SAMPLES.resolve("cnc-bearing-inner-1hz.csv")).subList(0, 6);
        String doc = String.join("\n", lines) + "\n";
        return edits(doc);
    }

    @Provide
    Arbitrary<String> meta() throws IOException {
        return edits(Files.readString(SAMPLES.resolve("cnc-healthy/meta.json")));
    }

    private static Arbitrary<String> edits(String doc) {
        return Arbitraries.integers().between(0, doc.length()).list().ofMinSize(1).ofMaxSize(4).flatMap(cuts ->
                Arbitraries.of(PIECES).list().ofSize(cuts.size()).flatMap(pieces ->
                        Arbitraries.of(true, false).map(replace -> mutate(doc, cuts, pieces, replace))));
    }

    @Property(tries = 2000)
    void aMutatedCsvIsReadOrRefusedByName(@ForAll("csv") String doc) throws IOException {
        Path file = Files.createTempFile("fuzz-", ".csv");
        try {
            Files.writeString(file, doc, StandardCharsets.UTF_8);
            try (TabularCsvReader r = TabularCsvReader.open(file)) {
                while (r.next() != null) {
                    // every row parses or the reader says where it does not
                }
            } catch (DatasetFormatException refused) {
                assertThat(refused.getMessage()).contains(file.getFileName().toString());
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 1000)
    void aMutatedRecordingIsReadOrRefusedByName(@ForAll("meta") String meta) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-rec-");
        try {
            try (var files = Files.list(SAMPLES.resolve("cnc-healthy"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
            Files.writeString(dir.resolve("meta.json"), meta, StandardCharsets.UTF_8);
            try {
                RecordingReader r = RecordingReader.open(dir);
                for (ChannelMeta c : r.meta().channels()) {
                    assertThat(r.read(c.name(), 0, (int) Math.min(64, c.samples()))).isNotNull();
                }
            } catch (DatasetFormatException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
