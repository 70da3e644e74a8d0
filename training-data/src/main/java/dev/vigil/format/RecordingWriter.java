package dev.vigil.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Streams a waveform recording to disk: samples are appended per channel in any block size and never held
 * in memory; meta.json (with sample counts and SHA-256 per file) and labels.csv are written by
 * {@link #finish(List)}. A directory without meta.json is an unfinished recording.
 */
public final class RecordingWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path dir;
    private final RecordingMeta header;
    private final FileChannel[] files;
    private final ByteBuffer[] buffers;
    private final MessageDigest[] digests;
    private final long[] counts;
    private boolean finished;

    private RecordingWriter(Path dir, RecordingMeta header) throws IOException {
        this.dir = dir;
        this.header = header;
        int n = header.channels().size();
        files = new FileChannel[n];
        buffers = new ByteBuffer[n];
        digests = new MessageDigest[n];
        counts = new long[n];
        Files.deleteIfExists(dir.resolve("meta.json"));
        for (int i = 0; i < n; i++) {
            files[i] = FileChannel.open(dir.resolve(header.channels().get(i).file()), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            buffers[i] = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            try {
                digests[i] = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }
    }

    /**
     * Opens a recording for writing, creating the directory. The header's sample counts and digests are
     * ignored; they are computed from what is appended.
     */
    public static RecordingWriter create(Path dir, RecordingMeta header) throws IOException {
        Files.createDirectories(dir);
        return new RecordingWriter(dir, header);
    }

    public RecordingMeta header() {
        return header;
    }

    public void append(int channel, float[] samples) throws IOException {
        append(channel, samples, 0, samples.length);
    }

    public void append(int channel, float[] samples, int offset, int length) throws IOException {
        if (finished) {
            throw new IllegalStateException("recording already finished");
        }
        ByteBuffer buf = buffers[channel];
        for (int i = offset; i < offset + length; i++) {
            if (buf.remaining() < Float.BYTES) {
                flush(channel);
            }
            buf.putFloat(samples[i]);
        }
        counts[channel] += length;
    }

    private void flush(int channel) throws IOException {
        ByteBuffer buf = buffers[channel];
        buf.flip();
        digests[channel].update(buf.array(), 0, buf.limit());
        while (buf.hasRemaining()) {
            files[channel].write(buf);
        }
        buf.clear();
    }

    /** Flushes every channel and writes labels.csv and meta.json; the recording is complete after this. */
    public RecordingMeta finish(List<Label> labels) throws IOException {
        List<ChannelMeta> done = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            flush(i);
            files[i].force(false);
            files[i].close();
            done.add(header.channels().get(i).withCount(counts[i], HexFormat.of().formatHex(digests[i].digest())));
        }
        finished = true;
        LabelsCsv.write(dir.resolve("labels.csv"), labels);
        RecordingMeta meta = header.withChannels(done);
        MetaJson.write(dir.resolve("meta.json"), meta);
        return meta;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            for (FileChannel f : files) {
                f.close();
            }
        }
    }
}
