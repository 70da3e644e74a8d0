package dev.vigil.cli;

import dev.vigil.format.RecordingReader;
import dev.vigil.format.TabularCsvReader;
import dev.vigil.format.TabularRow;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed samples are valid, and exactly what {@code vigil make-samples} produces today. */
@Tag("slow")
class SamplesTest {
    private static final Path SAMPLES = Path.of("samples");

    @Test
    void committedSamplesAreUpToDateWithTheGenerator(@TempDir Path tmp) throws Exception {
        int exit = DataCli.commandLine().execute("make-samples", "--out", tmp.toString());
        assertThat(exit).isZero();
        List<Path> expected;
        try (Stream<Path> files = Files.walk(tmp)) {
            expected = files.filter(Files::isRegularFile).map(tmp::relativize).sorted().toList();
        }
        List<Path> committed;
        try (Stream<Path> files = Files.walk(SAMPLES)) {
            committed = files.filter(Files::isRegularFile).map(SAMPLES::relativize).sorted().toList();
        }
        assertThat(committed).containsExactlyElementsOf(expected);
        for (Path f : expected) {
            assertThat(Files.readAllBytes(SAMPLES.resolve(f)))
                    .as("%s differs: run ./vigil make-samples and commit training-data/samples", f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve(f)));
        }
    }

    @Test
    void samplesReadBackAndCarryLabels() throws Exception {
        for (String name : List.of("cnc-healthy", "cnc-bearing-outer", "robot-healthy", "robot-reducer-wear")) {
            RecordingReader r = RecordingReader.open(SAMPLES.resolve(name));
            r.verifyChecksums();
            assertThat(r.labels().isEmpty()).as(name).isEqualTo(name.endsWith("healthy"));
        }
        try (TabularCsvReader r = TabularCsvReader.open(SAMPLES.resolve("cnc-bearing-inner-1hz.csv"))) {
            assertThat(r.header().labelColumns()).containsExactly("fault", "severity");
            long rows = 0;
            long faulty = 0;
            TabularRow row;
            while ((row = r.next()) != null) {
                rows++;
                if (row.labels()[0].equals("bearing-inner")) {
                    faulty++;
                }
            }
            assertThat(rows).isEqualTo(1200);
            assertThat(faulty).as("onset at 2 h of 8 h life = 300 s of 1200").isEqualTo(900);
        }
    }
}
