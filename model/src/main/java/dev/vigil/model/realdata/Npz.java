package dev.vigil.model.realdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads the one-dimensional (or n x 1) float arrays of a NumPy {@code .npz} archive: a zip of {@code .npy}
 * files, each a magic string, a version, a Python-dict header and the raw little-endian data.
 */
final class Npz {
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?)([fi])(\\d)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final long MAX_BYTES = 1L << 30;

    private Npz() {
    }

    /** Every array in the archive by name (without {@code .npy}), as doubles. */
    static Map<String, double[]> read(Path file) throws IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.getName().endsWith(".npy")) {
                    out.put(e.getName().substring(0, e.getName().length() - 4), npy(file + "!" + e.getName(), zip));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no .npy arrays in this archive");
        }
        return out;
    }

    private static double[] npy(String where, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8 || (magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[2] != 'U') {
            throw new IOException(where + ": not a .npy array (bad magic)");
        }
        int major = magic[6];
        byte[] lenBytes = in.readNBytes(major == 1 ? 2 : 4);
        ByteBuffer lb = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? Short.toUnsignedInt(lb.getShort()) : lb.getInt();
        if (headerLen <= 0 || headerLen > 1 << 16) {
            throw new IOException(where + ": header length " + headerLen + " out of range");
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(where + ": header without descr or shape: " + header.strip());
        }
        if (header.contains("'fortran_order': True")) {
            throw new IOException(where + ": Fortran-ordered arrays are not supported");
        }
        long count = 1;
        for (String dim : s.group(1).split(",")) {
            if (!dim.isBlank()) {
                count *= Long.parseLong(dim.strip());
            }
        }
        int width = Integer.parseInt(d.group(3));
        if (count * width > MAX_BYTES) {
            throw new IOException(where + ": " + count + " elements is more than this reader takes");
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer data = ByteBuffer.wrap(readFully(in, (int) (count * width), where)).order(order);
        double[] x = new double[(int) count];
        String type = d.group(2) + width;
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (type) {
                case "f8" -> data.getDouble();
                case "f4" -> data.getFloat();
                case "i2" -> data.getShort();
                case "i4" -> data.getInt();
                case "i8" -> data.getLong();
                default -> throw new IOException(where + ": element type " + d.group(0) + " is not supported");
            };
        }
        return x;
    }

    private static byte[] readFully(InputStream in, int n, String where) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(n);
        byte[] chunk = new byte[1 << 16];
        int left = n;
        while (left > 0) {
            int r = in.read(chunk, 0, Math.min(chunk.length, left));
            if (r < 0) {
                throw new IOException(where + ": truncated: " + (n - left) + " of " + n + " data bytes");
            }
            buf.write(chunk, 0, r);
            left -= r;
        }
        return buf.toByteArray();
    }
}
