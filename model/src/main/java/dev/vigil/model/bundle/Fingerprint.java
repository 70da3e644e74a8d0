package dev.vigil.model.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of bytes, of a file, or of a recording directory (its files in name order, each name then its bytes). */
public final class Fingerprint {
    private Fingerprint() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** SHA-256 of the bytes, in lower-case hex: the one place Vigil turns content into a hash. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** SHA-256 of a file's content, read as a stream (a bundle may be large), in lower-case hex. */
    public static String of(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static TrainingRecord.Input input(Path p) throws IOException {
        MessageDigest md = sha256();
        long bytes = 0;
        List<Path> files;
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
        } else {
            files = List.of(p);
        }
        for (Path f : files) {
            if (Files.isDirectory(p)) {
                md.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                bytes += in.transferTo(OutputStream.nullOutputStream());
            }
        }
        return new TrainingRecord.Input(p.toString(), Files.isDirectory(p) ? "recording" : "csv",
                HexFormat.of().formatHex(md.digest()), bytes);
    }
}
