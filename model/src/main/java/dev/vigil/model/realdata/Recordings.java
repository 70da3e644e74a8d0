package dev.vigil.model.realdata;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Writes test-rig accelerometer signals as a Vigil recording, with a constant speed tag and the bearing geometry. */
final class Recordings {
    static final double TAG_RATE_HZ = 100;
    static final Instant NO_CLOCK = Instant.parse("2026-01-01T00:00:00Z");

    /** One accelerometer: its name, where it sits, its samples in g. */
    record Accelerometer(String name, String position, float[] samples) {
    }

    private Recordings() {
    }

    /** A single drive-end accelerometer (CWRU), with no wall clock of its own. */
    static Path write(Path dir, String machine, double[] accelG, double rateHz, double rpm, BearingGeometry bearing)
            throws IOException {
        float[] f = new float[accelG.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) accelG[i];
        }
        return write(dir, machine, NO_CLOCK, List.of(new Accelerometer("accel", "drive-end bearing housing", f)), rateHz,
                rpm, bearing);
    }

    /** Accelerometers of equal length and rate, starting at {@code start}. */
    static Path write(Path dir, String machine, Instant start, List<Accelerometer> accelerometers, double rateHz,
                      double rpm, BearingGeometry bearing) throws IOException {
        List<ChannelMeta> channels = new ArrayList<>();
        for (Accelerometer a : accelerometers) {
            channels.add(new ChannelMeta(a.name(), "g", rateHz, a.position(), "vibration", a.name() + ".f32", 0, null));
        }
        channels.add(new ChannelMeta("speed", "rpm", TAG_RATE_HZ, "shaft speed (test log)", "tag", "speed.f32", 0, null));
        RecordingMeta meta = new RecordingMeta(RecordingMeta.FORMAT_VERSION, machine, "test-rig", start, channels,
                bearing, null);
        int n = accelerometers.get(0).samples().length;
        try (RecordingWriter w = RecordingWriter.create(dir, meta)) {
            for (int c = 0; c < accelerometers.size(); c++) {
                w.append(c, accelerometers.get(c).samples());
            }
            float[] speed = new float[(int) Math.ceil(n / rateHz * TAG_RATE_HZ)];
            Arrays.fill(speed, (float) rpm);
            w.append(accelerometers.size(), speed);
            w.finish(List.of());
        }
        return dir;
    }
}
