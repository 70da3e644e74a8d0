package dev.vigil.model.data;

import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Scoring;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** What a controller export's columns are, judged over all training files together. */
class ColumnRolesTest {
    @TempDir
    Path tmp;

    /** One run of a machine: a program number, a sequence counter, an unused axis, a speed set point, two sensors. */
    private Path run(String name, int program, int firstSeq, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("time,program,seq,axis_b,speed_set,vib_rms,temp\n");
        for (int i = 0; i < 400; i++) {
            int speed = i < 150 ? 3000 : i < 300 ? 6000 : 9000;
            b.append(String.format(Locale.ROOT, "2026-01-01T%02d:%02d:%02dZ,%d,%d,0,%d,%.4f,%.3f\n", i / 3600, i / 60 % 60,
                    i % 60, program, firstSeq + i, speed, 0.1 + 0.01 * r.nextGaussian() + speed * 1e-6,
                    40 + 0.002 * i + 0.1 * r.nextGaussian()));
        }
        return Files.writeString(tmp.resolve(name), b.toString());
    }

    @Test
    void constantRunIdCounterAndSetPointAreJudgedOverAllFilesAndNamed() throws Exception {
        List<Path> files = List.of(run("a.csv", 17, 1, 1), run("b.csv", 23, 401, 2), run("c.csv", 17, 801, 3));
        DataQualityReport.Builder dq = new DataQualityReport.Builder();
        FeatureSpec spec = TabularInput.deriveSpec(files, InputOptions.defaults(), 10, dq);
        DataQualityReport report = dq.build();
        assertThat(report.ok()).isTrue();
        assertThat(spec.tabularColumns()).containsExactly("vib_rms", "temp");
        assertThat(spec.contextColumns()).containsExactly("speed_set");
        List<String> lines = report.warnings().stream().map(Finding::line).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("axis_b").contains("constant (every value is 0)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("program").contains("identifies the run"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("seq").contains("a counter"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("speed_set").contains("operating context"));
    }

    @Test
    void aColumnConstantInTrainingThatMovesWhileScoringIsReportedInTheAssessment() throws Exception {
        List<Path> files = List.of(run("a.csv", 17, 1, 1), run("b.csv", 23, 401, 2));
        var model = new Trainer(TrainOptions.of(files).withDetector("pca"),
                (e, m, t, v) -> { }, s -> { }).train().model();
        assertThat(model.spec().constantColumns()).containsEntry("axis_b", 0.0);
        // the same run, with the unused axis coming alive on rows 200-209
        String[] lines = Files.readString(run("c.csv", 17, 801, 3)).split("\n");
        StringBuilder b = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            if (i > 200 && i <= 210) {
                cells[3] = "3.5";
            }
            b.append(String.join(",", cells)).append('\n');
        }
        Path alive = Files.writeString(tmp.resolve("alive.csv"), b.toString());
        List<Assessment> out = new ArrayList<>();
        Scoring.run(model, alive, null, (lo, a) -> out.add(a));
        assertThat(out.stream().filter(a -> !a.notes().isEmpty()).count()).isEqualTo(10);
        assertThat(out.get(200).notes()).singleElement().asString().contains("axis_b moved: 3.5")
                .contains("constant 0 in all training data");
        assertThat(out.get(199).notes()).isEmpty();
    }

    @Test
    void aColumnConstantInOneFileButMovingInAnotherIsModelled() throws Exception {
        Path moving = run("a.csv", 17, 1, 1);
        Path flat = Files.writeString(tmp.resolve("flat.csv"), Files.readString(moving).replaceAll(",0\\.1\\d+,", ",0.1,"));
        FeatureSpec spec = TabularInput.deriveSpec(List.of(moving, flat), InputOptions.defaults(), 10,
                new DataQualityReport.Builder());
        assertThat(spec.tabularColumns()).contains("vib_rms");
    }

    @Test
    void namedContextAndIgnoredColumnsAreLeftAsNamed() throws Exception {
        List<Path> files = List.of(run("a.csv", 17, 1, 1), run("b.csv", 23, 401, 2));
        FeatureSpec spec = TabularInput.deriveSpec(files, new InputOptions(null, List.of("seq"), List.of("program"),
                null, null), 10, new DataQualityReport.Builder());
        assertThat(spec.contextColumns()).contains("program").doesNotContain("seq");
        assertThat(spec.tabularColumns()).doesNotContain("seq", "program");
    }
}
