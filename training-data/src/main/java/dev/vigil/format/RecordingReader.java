package dev.vigil.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Opens a waveform recording. Opening checks meta.json and that every channel file exists and has exactly
 * the size meta.json promises; samples are then read in streaming fashion through {@link ChannelReader}.
 */
public final class RecordingReader {
    private final Path dir;
    private final RecordingMeta meta;

    private RecordingReader(Path dir, RecordingMeta meta) {
        this.dir = dir;
        this.meta = meta;
    }

    public static RecordingReader open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetFormatException(dir, "not a directory: a recording is a directory with meta.json");
        }
        RecordingMeta meta = MetaJson.read(dir.resolve("meta.json"));
        for (ChannelMeta c : meta.channels()) {
            Path f = dir.resolve(c.file());
            if (!Files.isRegularFile(f)) {
                throw new DatasetFormatException(f, "data file of channel '" + c.name() + "' is missing");
            }
            long size = Files.size(f);
            long expected = c.samples() * Float.BYTES;
            if (size % Float.BYTES != 0) {
                throw new DatasetFormatException(f, "truncated: " + size + " bytes is not a whole number of float32 samples"
                        + " (expected " + expected + " bytes for " + c.samples() + " samples)");
            }
            if (size != expected) {
                throw new DatasetFormatException(f, (size < expected ? "truncated" : "too long") + ": " + size / Float.BYTES
                        + " samples on disk, meta.json says " + c.samples() + " (" + expected + " bytes)");
            }
        }
        return new RecordingReader(dir, meta);
    }

    public Path directory() {
        return dir;
    }

    public RecordingMeta meta() {
        return meta;
    }

    /** The labels, or an empty list for an unlabelled recording (labels.csv absent). */
    public List<Label> labels() throws IOException {
        Path f = dir.resolve("labels.csv");
        return Files.exists(f) ? LabelsCsv.read(f) : List.of();
    }

    public ChannelReader channel(String name) throws IOException {
        ChannelMeta c = meta.channel(name).orElseThrow(() -> new IllegalArgumentException("no channel '" + name
                + "' in " + dir + " (channels: " + meta.channels().stream().map(ChannelMeta::name).toList() + ")"));
        return new ChannelReader(dir.resolve(c.file()), c);
    }

    /** Reads samples [from, from + count) of one channel; for bounded ranges only. */
    public float[] read(String channel, long from, int count) throws IOException {
        try (ChannelReader r = channel(channel)) {
            r.seek(from);
            float[] out = new float[(int) Math.min(count, r.remaining())];
            int got = 0;
            while (got < out.length) {
                int n = r.read(out, got, out.length - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
            return out;
        }
    }

    /** Recomputes every channel file's SHA-256 and compares it with meta.json. */
    public void verifyChecksums() throws IOException {
        for (ChannelMeta c : meta.channels()) {
            if (c.sha256() == null) {
                continue;
            }
            Path f = dir.resolve(c.file());
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equalsIgnoreCase(c.sha256())) {
                throw new DatasetFormatException(f, "checksum mismatch: SHA-256 is " + actual + ", meta.json says " + c.sha256()
                        + " (the file was changed or corrupted after recording)");
            }
        }
    }
}
