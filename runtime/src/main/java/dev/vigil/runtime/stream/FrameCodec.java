package dev.vigil.runtime.stream;

import dev.vigil.domain.Frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The binary waveform frame, version 1, all little-endian (docs/PROTOCOL.md):
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "VGF1"
 * 4       2     machine id length M (1..128), then M bytes UTF-8
 * ...     2     channel name length C (1..128), then C bytes UTF-8
 * ...     8     start time, epoch nanoseconds (int64)
 * ...     8     sample rate in Hz (float64, > 0)
 * ...     4     sample count N (uint32, 1..maxSamples)
 * ...     4N    samples (float32; NaN = no data)
 * ...     4     CRC-32 (IEEE) of every byte before it
 * </pre>
 */
public final class FrameCodec {
    public static final int MAX_NAME_BYTES = 128;
    private static final byte[] MAGIC = {'V', 'G', 'F', '1'};

    private final int maxSamples;

    public int maxSamples() {
        return maxSamples;
    }

    /** The largest valid frame in bytes: the binary ingest route's body limit. */
    public long maxFrameBytes() {
        return 4 + 2 + MAX_NAME_BYTES + 2 + MAX_NAME_BYTES + 8 + 8 + 4 + 4L * maxSamples + 4;
    }

    /** @param maxSamples largest sample count accepted in one frame (bounds memory per request) */
    public FrameCodec(int maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1");
        }
        this.maxSamples = maxSamples;
    }

    public static byte[] encode(Frame f) {
        byte[] machine = f.machineId().getBytes(StandardCharsets.UTF_8);
        byte[] channel = f.channel().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + machine.length + 2 + channel.length + 8 + 8 + 4
                + 4 * f.samples().length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) machine.length).put(machine).putShort((short) channel.length).put(channel)
                .putLong(f.startNanos()).putDouble(f.sampleRateHz()).putInt(f.samples().length);
        for (float v : f.samples()) {
            b.putFloat(v);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    public Frame decode(byte[] bytes) throws FrameException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        need(b, 4, "magic");
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new FrameException("not a Vigil frame: the first 4 bytes must be \"VGF1\"");
            }
        }
        String machine = name(b, "machine id");
        String channel = name(b, "channel name");
        need(b, 20, "start time, sample rate and sample count");
        long start = b.getLong();
        double rate = b.getDouble();
        long count = Integer.toUnsignedLong(b.getInt());
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new FrameException("sample rate must be a positive number of Hz, got " + rate);
        }
        if (count < 1 || count > maxSamples) {
            throw new FrameException("sample count " + count + " outside 1.." + maxSamples);
        }
        long expected = (long) b.position() + 4 * count + 4;
        if (bytes.length != expected) {
            throw new FrameException("frame is " + bytes.length + " bytes, its header announces " + expected
                    + (bytes.length < expected ? " (truncated)" : " (trailing bytes)"));
        }
        float[] samples = new float[(int) count];
        b.asFloatBuffer().get(samples);
        b.position(b.position() + 4 * (int) count);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, b.position());
        int actual = b.getInt();
        if ((int) crc.getValue() != actual) {
            throw new FrameException(String.format("bad CRC: frame says %08x, content gives %08x", actual,
                    (int) crc.getValue()));
        }
        return new Frame(machine, channel, start, rate, samples);
    }

    private static void need(ByteBuffer b, int n, String what) throws FrameException {
        if (b.remaining() < n) {
            throw new FrameException("frame truncated in the " + what + " (" + b.remaining() + " bytes left, " + n
                    + " needed)");
        }
    }

    private static String name(ByteBuffer b, String what) throws FrameException {
        need(b, 2, what + " length");
        int n = Short.toUnsignedInt(b.getShort());
        if (n < 1 || n > MAX_NAME_BYTES) {
            throw new FrameException(what + " length " + n + " outside 1.." + MAX_NAME_BYTES);
        }
        need(b, n, what);
        byte[] raw = new byte[n];
        b.get(raw);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new FrameException(what + " is not valid UTF-8");
        }
    }
}
