package dev.vigil.model.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.domain.MachineKind;
import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.score.Scoring;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A bundle of format v1, written by Vigil 0.1.0 on 2026-12-02 and committed ({@code bundles/v1-pca.zip}: a PCA
 * model trained with {@code vigil train --detector pca --seed 11} on {@code vigil simulate --kind cnc --id fixture
 * --duration 3m --seed 11}). Every later Vigil must read it and score a fixed recording exactly as it did then
 * ({@code bundles/v1-pca-scores.csv}): renaming a field of a persisted class, or changing what it means, breaks
 * this test instead of every bundle in the field. Never regenerate the fixture; a new format version gets a
 * fixture of its own. (The expected scores were written once with {@code -Dvigil.fixtures.write=true}.)
 */
class BundleFormatV1Test {
    static final Path FIXTURE = Path.of("src/test/resources/bundles/v1-pca.zip");
    static final Path EXPECTED = Path.of("src/test/resources/bundles/v1-pca-scores.csv");

    @TempDir
    Path tmp;

    @Test
    void aV1BundleStillReadsAndScoresAsItDid() throws Exception {
        try (ZipFile zip = new ZipFile(FIXTURE.toFile())) {
            String manifest = new String(zip.getInputStream(zip.getEntry("manifest.json")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(manifest).contains("\"formatVersion\" : 1");
        }
        Bundle bundle = Bundle.read(FIXTURE);
        Path recording = tmp.resolve("fixture");
        Simulation.builder(MachineSpecs.defaults(MachineKind.CNC, "fixture")).lifeDurationS(60).seed(12).build()
                .writeRecording(recording, b -> { });
        List<String> rows = new ArrayList<>();
        Scoring.run(bundle.model(), recording, null, (o, a) -> rows.add(a.index() + "," + a.level().id() + ","
                + (a.smoothed() == a.smoothed() ? String.format(Locale.ROOT, "%.9e", a.smoothed()) : "")));
        if (Boolean.getBoolean("vigil.fixtures.write")) {
            Files.write(EXPECTED, rows);
        }
        List<String> expected = Files.readAllLines(EXPECTED);
        assertThat(rows).hasSameSizeAs(expected).hasSizeGreaterThan(20);
        for (int i = 0; i < rows.size(); i++) {
            String[] got = rows.get(i).split(",", -1);
            String[] want = expected.get(i).split(",", -1);
            assertThat(got[0] + "," + got[1]).as("window %d", i).isEqualTo(want[0] + "," + want[1]);
            if (want[2].isEmpty()) {
                assertThat(got[2]).as("window %d unscored", i).isEmpty();
            } else {
                double w = Double.parseDouble(want[2]);
                assertThat(Double.parseDouble(got[2])).as("window %d smoothed score", i)
                        .isCloseTo(w, within(1e-6 * Math.max(1, Math.abs(w))));
            }
        }
    }

    @Test
    void theStateWrittenTodayIsTheStateV1Holds() throws Exception {
        // read and written again, the fitted state must come out exactly as v1 stored it (the same names, the
        // same numbers): what a bundle holds is decided by BundleState, not by the live classes' fields
        Bundle bundle = Bundle.read(FIXTURE);
        Path again = tmp.resolve("again.zip");
        TrainingRecord training = Bundle.JSON.treeToValue(bundle.manifest().get("training"), TrainingRecord.class);
        DataQualityReport quality = Bundle.JSON.treeToValue(bundle.manifest().get("dataQuality"), DataQualityReport.class);
        JsonNode written = Bundle.write(again, bundle.model(), quality, training, bundle.manifest().get("seed").asLong());
        for (String block : new String[]{"normaliser", "calibration", "detector", "input", "features", "context"}) {
            assertThat(written.get(block)).as(block).isEqualTo(bundle.manifest().get(block));
        }
    }
}
