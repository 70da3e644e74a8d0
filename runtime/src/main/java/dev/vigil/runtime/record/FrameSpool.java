package dev.vigil.runtime.record;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One machine's recent raw frames on disk, so that memory stays flat however long the context: segment files
 * of {@code segmentMillis} of data time, each a sequence of length-prefixed binary frames (the wire format,
 * CRC included). Segments older than the retention before the newest data are deleted, unless a capture still
 * needs them. Not thread-safe: the machine's scoring worker appends, under the machine's lock.
 */
final class FrameSpool {
    private final Path dir;
    private volatile long pinnedFromMillis = Long.MAX_VALUE;
    private final long segmentMillis;
    private long newestMillis = Long.MIN_VALUE;
    private long openSegment = Long.MIN_VALUE;
    private OutputStream out;

    FrameSpool(Path dir, long segmentMillis) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.segmentMillis = segmentMillis;
        try (Stream<Path> old = Files.list(dir)) {
            // a spool left by a previous run is stale context: the stream restarts
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    long newestMillis() {
        return newestMillis;
    }

    void append(Frame f) throws IOException {
        long startMillis = f.startNanos() / 1_000_000L;
        long segment = Math.floorDiv(startMillis, segmentMillis) * segmentMillis;
        if (segment != openSegment) {
            closeSegment();
            out = Files.newOutputStream(dir.resolve(segment + ".vgfs"), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            openSegment = segment;
        }
        byte[] bytes = FrameCodec.encode(f);
        out.write(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.write(bytes);
        long end = startMillis + Math.round(1000.0 * f.samples().length / f.sampleRateHz());
        newestMillis = Math.max(newestMillis, end);
    }

    private void closeSegment() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /** Keeps segments from this time on until unpinned (a capture is waiting to read them). */
    void pin(long fromMillis) {
        pinnedFromMillis = fromMillis;
    }

    /** Deletes segments ending before {@code keepFromMillis} (and before any pin). */
    void prune(long keepFromMillis) throws IOException {
        long keep = Math.min(keepFromMillis, pinnedFromMillis);
        for (long s : segments()) {
            if (s + segmentMillis <= keep && s != openSegment) {
                Files.deleteIfExists(dir.resolve(s + ".vgfs"));
            }
        }
    }

    private List<Long> segments() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".vgfs")) {
                    out.add(Long.parseLong(n.substring(0, n.length() - 5)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Makes everything appended so far readable by {@link #read} from another thread. */
    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /**
     * Every spooled frame overlapping [fromMillis, toMillis), in spool order. May run on another thread than
     * the appender (after {@link #flush}): a frame still being written ends the segment for this reader.
     */
    void read(long fromMillis, long toMillis, Consumer<Frame> sink) throws IOException {
        FrameCodec codec = new FrameCodec(1 << 26);
        for (long s : segments()) {
            if (s + segmentMillis <= fromMillis || s >= toMillis + segmentMillis) {
                continue;
            }
            try (InputStream in = Files.newInputStream(dir.resolve(s + ".vgfs"));
                 DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
                while (true) {
                    int len;
                    try {
                        len = data.readInt();
                    } catch (EOFException end) {
                        break;
                    }
                    byte[] b = new byte[len];
                    data.readFully(b);
                    Frame f = codec.decode(b);
                    long start = f.startNanos() / 1_000_000L;
                    long end = start + Math.round(1000.0 * f.samples().length / f.sampleRateHz());
                    if (end > fromMillis && start < toMillis) {
                        sink.accept(f);
                    }
                }
            } catch (FrameException | EOFException e) {
                // a segment cut short by a crash ends at its last whole frame
            }
        }
    }

    void close() throws IOException {
        closeSegment();
    }
}
