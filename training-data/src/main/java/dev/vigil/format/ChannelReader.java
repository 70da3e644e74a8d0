package dev.vigil.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Streams one channel's float32 samples through a small buffer; any file size works. */
public final class ChannelReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final ChannelMeta meta;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    ChannelReader(Path file, ChannelMeta meta) throws IOException {
        this.file = file;
        this.meta = meta;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        buffer.limit(0);
    }

    public ChannelMeta meta() {
        return meta;
    }

    /** Index of the next sample to be read. */
    public long position() {
        return position;
    }

    public long remaining() {
        return meta.samples() - position;
    }

    public void seek(long sample) throws IOException {
        if (sample < 0 || sample > meta.samples()) {
            throw new IllegalArgumentException("sample " + sample + " outside [0, " + meta.samples() + "] of " + file);
        }
        channel.position(sample * Float.BYTES);
        buffer.limit(0);
        position = sample;
    }

    /** Reads up to len samples into dst; returns how many, or -1 at the end of the channel. */
    public int read(float[] dst, int off, int len) throws IOException {
        if (remaining() <= 0) {
            return -1;
        }
        int want = (int) Math.min(len, remaining());
        int got = 0;
        while (got < want) {
            if (buffer.remaining() < Float.BYTES) {
                buffer.compact();
                int n = channel.read(buffer);
                buffer.flip();
                if (n < 0 && buffer.remaining() < Float.BYTES) {
                    throw new DatasetFormatException(file, "truncated at sample " + (position + got) + " of "
                            + meta.samples() + " (file shorter than meta.json says)");
                }
            }
            while (got < want && buffer.remaining() >= Float.BYTES) {
                dst[off + got++] = buffer.getFloat();
            }
        }
        position += got;
        return got;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
