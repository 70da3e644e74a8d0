package dev.vigil.format;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.MachineKind;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.MachineSpecs;
import dev.vigil.sim.Progression;
import dev.vigil.sim.SimBlock;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingFormatTest {

    private static Simulation sim() {
        return Simulation.builder(CncSpec.defaults("cnc-f")).lifeDurationS(60).speedup(30).seed(5)
                .fault(new FaultSpec(FaultType.BEARING_OUTER, 20, 40, Progression.LINEAR, 1, null, 0)).build();
    }

    private static Path write(Path dir) throws Exception {
        sim().writeRecording(dir, b -> { });
        return dir;
    }

    @Test
    void roundTripKeepsEverySampleAndTheMetadata(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        RecordingReader r = RecordingReader.open(dir);
        RecordingMeta m = r.meta();
        assertThat(m.machineId()).isEqualTo("cnc-f");
        assertThat(m.kind()).isEqualTo("cnc");
        assertThat(m.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(m.durationS()).isEqualTo(2.0);
        assertThat(m.bearingGeometry()).contains(CncSpec.defaults("x").bearing());
        assertThat(m.channel("accel_x")).hasValueSatisfying(c -> {
            assertThat(c.unit()).isEqualTo("g");
            assertThat(c.sampleRateHz()).isEqualTo(25_600);
            assertThat(c.samples()).isEqualTo(51_200);
            assertThat(c.position()).contains("radial X");
        });
        assertThat(m.simulation().get("seed").asLong()).isEqualTo(5);
        assertThat(r.labels()).isEqualTo(sim().groundTruth().labels());
        r.verifyChecksums();

        // stream accel_x back in odd-sized chunks and compare with a fresh pass of the simulator
        Iterator<SimBlock> blocks = sim().blocks();
        float[] expected = new float[51_200];
        for (int b = 0; b < 20; b++) {
            System.arraycopy(blocks.next().samples()[0], 0, expected, b * 2560, 2560);
        }
        float[] actual = new float[51_200];
        try (ChannelReader cr = r.channel("accel_x")) {
            int got = 0;
            int n;
            while ((n = cr.read(actual, got, Math.min(777, actual.length - got))) > 0) {
                got += n;
            }
            assertThat(got).isEqualTo(51_200);
            assertThat(cr.read(actual, 0, 1)).isEqualTo(-1);
        }
        assertThat(actual).containsExactly(expected);
        assertThat(r.read("accel_x", 40_000, 10)).containsExactly(java.util.Arrays.copyOfRange(expected, 40_000, 40_010));
    }

    @Test
    void readerStreamsWithoutLoadingTheFile(@TempDir Path tmp) throws Exception {
        // a robot recording read through a 1-sample buffer never holds more than it was asked for
        Path dir = tmp.resolve("robot");
        Simulation.builder(MachineSpecs.defaults(MachineKind.ROBOT, "r")).lifeDurationS(1).build().writeRecording(dir, b -> { });
        try (ChannelReader cr = RecordingReader.open(dir).channel("j2_position")) {
            float[] one = new float[1];
            long count = 0;
            cr.seek(500);
            while (cr.read(one, 0, 1) == 1) {
                count++;
            }
            assertThat(count).isEqualTo(500);
        }
    }

    @Test
    void truncatedChannelFileIsNamed(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("current_v.f32").toFile(), "rw")) {
            f.setLength(f.length() - 6);
        }
        assertThatThrownBy(() -> RecordingReader.open(dir)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("current_v.f32").hasMessageContaining("truncated")
                .hasMessageContaining("not a whole number of float32 samples");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("current_v.f32").toFile(), "rw")) {
            f.setLength(f.length() - 2);
        }
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("current_v.f32")
                .hasMessageContaining("19998 samples on disk, meta.json says 20000");
    }

    @Test
    void corruptedBytesFailTheChecksum(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("accel_y.f32").toFile(), "rw")) {
            f.seek(1000);
            f.write(new byte[]{1, 2, 3, 4});
        }
        assertThatThrownBy(() -> RecordingReader.open(dir).verifyChecksums()).hasMessageContaining("accel_y.f32")
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void brokenMetaJsonGivesLineAndColumn(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        Path meta = dir.resolve("meta.json");
        List<String> lines = Files.readAllLines(meta);
        lines.set(3, lines.get(3).replace(",", ""));
        Files.write(meta, lines);
        assertThatThrownBy(() -> RecordingReader.open(dir)).isInstanceOf(DatasetFormatException.class)
                .satisfies(e -> {
                    DatasetFormatException d = (DatasetFormatException) e;
                    assertThat(d.line()).isEqualTo(5);
                    assertThat(d.column()).isPositive();
                    assertThat(d.getMessage()).startsWith(meta + ":5:").contains("invalid JSON");
                });
    }

    @Test
    void missingOrMistypedFieldsAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        Path meta = dir.resolve("meta.json");
        String text = Files.readString(meta);
        Files.writeString(meta, text.replaceFirst("\"sampleRateHz\" : 25600.0", "\"sampleRateHz\" : \"fast\""));
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("channels[0].sampleRateHz")
                .hasMessageContaining("expected a number");
        Files.writeString(meta, text.replaceFirst("\"machineId\" : \"cnc-f\",", ""));
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("field 'machineId'");
        Files.writeString(meta, text.replaceFirst("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("newer than this reader");
        Files.writeString(meta, text.replaceFirst("\"file\" : \"accel_x.f32\"", "\"file\" : \"../../etc/passwd\""));
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("plain file name");
        Files.delete(meta);
        assertThatThrownBy(() -> RecordingReader.open(dir)).hasMessageContaining("meta.json is missing");
    }

    @Test
    void badLabelsAreReportedWithLineAndColumn(@TempDir Path tmp) throws Exception {
        Path dir = write(tmp.resolve("rec"));
        Path labels = dir.resolve("labels.csv");
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        lines.set(2, lines.get(2).replaceFirst(",machine", "x,machine").replaceFirst("^([^,]*),([^,]*),([^,]*),([^,]*)",
                "$1,$2,$3,lots"));
        Files.write(labels, lines);
        assertThatThrownBy(() -> RecordingReader.open(dir).labels()).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("labels.csv:3:4").hasMessageContaining("'severity'").hasMessageContaining("lots");
    }
}
