package dev.vigil.model.bundle;

import dev.vigil.model.SimulatedData;
import dev.vigil.model.score.Scoring;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.CncSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class BundleTest {
    @TempDir
    static Path tmp;
    static Path recording;

    @BeforeAll
    static void record() throws Exception {
        recording = SimulatedData.healthy(tmp.resolve("healthy"), CncSpec.defaults("cnc-b"), 400, 3);
    }

    private static List<Double> scores(Bundle b) throws Exception {
        List<Double> out = new ArrayList<>();
        Scoring.run(b.model(), recording, null, (lo, a) -> out.add(a.score()));
        return out;
    }

    @Test
    void everyDetectorRoundTripsThroughItsBundleAndScoresIdentically() throws Exception {
        for (String detector : List.of("pca", "autoencoder", "sequence-autoencoder")) {
            Path zip = tmp.resolve(detector + ".zip");
            Trainer.Result r = new Trainer(TrainOptions.of(List.of(recording)).withDetector(detector).withSeed(5),
                    (e, m, t, v) -> { }, s -> { }).trainTo(zip);
            Bundle b = Bundle.read(zip);
            assertThat(b.model().detector().name()).isEqualTo(detector);
            assertThat(b.model().features()).isEqualTo(r.model().features());
            assertThat(b.manifest().path("training").path("inputs").get(0).path("sha256").asText()).hasSize(64);
            assertThat(b.manifest().path("seed").asLong()).isEqualTo(5);
            List<Double> fromDisk = scores(b);
            List<Double> inMemory = new ArrayList<>();
            Scoring.run(r.model(), recording, null, (lo, a) -> inMemory.add(a.score()));
            assertThat(fromDisk).hasSameSizeAs(inMemory);
            for (int i = 0; i < fromDisk.size(); i++) {
                Double x = fromDisk.get(i);
                Double y = inMemory.get(i);
                assertThat(x.isNaN()).isEqualTo(y.isNaN());
                if (!x.isNaN()) {
                    assertThat(x).isCloseTo(y, org.assertj.core.api.Assertions.within(1e-4 * Math.max(1, Math.abs(y))));
                }
            }
        }
    }

    @Test
    void sameSeedSameModel() throws Exception {
        TrainOptions o = TrainOptions.of(List.of(recording)).withDetector("autoencoder").withSeed(9);
        Trainer.Result a = new Trainer(o, (e, m, t, v) -> { }, s -> { }).train();
        Trainer.Result b = new Trainer(o, (e, m, t, v) -> { }, s -> { }).train();
        assertThat(a.model().calibration().warning()).isEqualTo(b.model().calibration().warning());
    }

    @Test
    void tamperingVersionAndGarbageAreRefused() throws Exception {
        Path zip = tmp.resolve("p.zip");
        new Trainer(TrainOptions.of(List.of(recording)).withDetector("pca"), (e, m, t, v) -> { }, s -> { }).trainTo(zip);

        Path tampered = tmp.resolve("tampered.zip");
        rewrite(zip, tampered, "manifest.json", text -> text.replaceFirst("\"warning\" : [0-9.]+", "\"warning\" : 999"));
        assertThatThrownBy(() -> Bundle.read(tampered)).isInstanceOf(BundleException.class)
                .hasMessageContaining("checksum mismatch for manifest.json");

        // a bundle of a later format, with checksums that hold: refused by its version, naming both
        Path future = tmp.resolve("future.zip");
        rewrite(zip, future, "manifest.json", text -> text.replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"));
        resign(future);
        assertThatThrownBy(() -> Bundle.read(future)).isInstanceOf(BundleException.class)
                .hasMessageContaining("format version 9").hasMessageContaining("reads version 1");

        Path garbage = tmp.resolve("garbage.zip");
        Files.writeString(garbage, "not a zip");
        assertThatThrownBy(() -> Bundle.read(garbage)).hasMessageContaining("not a zip archive");
        assertThatThrownBy(() -> Bundle.read(tmp.resolve("missing.zip"))).hasMessageContaining("bundle not found");
    }

    @Test
    void aModelRefusesInputsItWasNotTrainedFor() throws Exception {
        Path zip = tmp.resolve("p2.zip");
        new Trainer(TrainOptions.of(List.of(recording)).withDetector("pca"), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        Bundle b = Bundle.read(zip);
        Path robot = SimulatedData.healthy(tmp.resolve("robot"),
                dev.vigil.sim.MachineSpecs.defaults(dev.vigil.domain.MachineKind.ROBOT, "r"), 3, 1);
        assertThatThrownBy(() -> Scoring.run(b.model(), robot, null, (lo, a) -> { }))
                .hasMessageContaining("channel 'accel_x' that the model uses is missing");
        Path csv = tmp.resolve("x.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        assertThatThrownBy(() -> Scoring.run(b.model(), csv, null, (lo, a) -> { }))
                .hasMessageContaining("trained on waveform data");
    }

    @Test
    void hostileArchivesAreRefusedBeforeTheyCostMemory() throws Exception {
        // a small zip whose one entry inflates far beyond any model
        Path bomb = tmp.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        assertThatThrownBy(() -> Bundle.read(bomb)).isInstanceOf(BundleException.class)
                .hasMessageContaining("entry manifest.json decompresses to more than 64 MB");

        Path many = tmp.resolve("many.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(many))) {
            for (int i = 0; i < 100; i++) {
                zip.putNextEntry(new ZipEntry("e" + i));
                zip.closeEntry();
            }
        }
        assertThatThrownBy(() -> Bundle.read(many)).hasMessageContaining("more than 64 entries");

        // a channel name that would become a path outside the recordings folder, with valid checksums
        Path zip = tmp.resolve("p3.zip");
        new Trainer(TrainOptions.of(List.of(recording)).withDetector("pca"), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        Path escape = tmp.resolve("escape.zip");
        rewrite(zip, escape, "manifest.json", text -> text.replaceFirst("\"name\" : \"accel_x\"", "\"name\" : \"../../x\""));
        String manifest;
        try (ZipFile z = new ZipFile(escape.toFile())) {
            manifest = new String(z.getInputStream(z.getEntry("manifest.json")).readAllBytes());
        }
        assertThat(manifest).contains("../../x");
        resign(escape);
        assertThatThrownBy(() -> Bundle.read(escape)).isInstanceOf(BundleException.class)
                .hasMessageContaining("channel name '../../x' is not allowed");
    }

    /** Makes the manifest's checksum hold again after an edit (as a careful forger, or a later Vigil, would). */
    private static void resign(Path zip) throws Exception {
        String manifest;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            manifest = new String(z.getInputStream(z.getEntry("manifest.json")).readAllBytes());
        }
        String sha = Fingerprint.of(manifest.getBytes());
        rewrite(zip, zip, "checksums.sha256", text -> text.replaceFirst("(?m)^[0-9a-f]{64}(\\s+manifest\\.json)$",
                sha + "$1"));
    }

    private static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<String> edit)
            throws Exception {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        entries.put(entry, edit.apply(new String(entries.get(entry))).getBytes());
        try (OutputStream out = Files.newOutputStream(to); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

}
