package dev.vigil.model.realdata;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Writes a single-accelerometer test-rig signal as a Vigil recording, with a constant speed tag. */
final class Recordings {
    static final double TAG_RATE_HZ = 100;

    private Recordings() {
    }

    static Path write(Path dir, String machine, double[] accelG, double rateHz, double rpm, BearingGeometry bearing)
            throws IOException {
        List<ChannelMeta> channels = List.of(
                new ChannelMeta("accel", "g", rateHz, "drive-end bearing housing", "vibration", "accel.f32", 0, null),
                new ChannelMeta("speed", "rpm", TAG_RATE_HZ, "motor speed (test log)", "tag", "speed.f32", 0, null));
        RecordingMeta meta = new RecordingMeta(RecordingMeta.FORMAT_VERSION, machine, "test-rig",
                Instant.parse("2026-01-01T00:00:00Z"), channels, bearing, null);
        try (RecordingWriter w = RecordingWriter.create(dir, meta)) {
            float[] f = new float[accelG.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) accelG[i];
            }
            w.append(0, f);
            float[] speed = new float[(int) Math.ceil(accelG.length / rateHz * TAG_RATE_HZ)];
            java.util.Arrays.fill(speed, (float) rpm);
            w.append(1, speed);
            w.finish(List.of());
        }
        return dir;
    }
}
