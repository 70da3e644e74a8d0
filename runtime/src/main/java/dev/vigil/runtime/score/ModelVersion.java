package dev.vigil.runtime.score;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A bundle's version as shown in alerts: the first 12 hex digits of the SHA-256 of the bundle file. Content
 * addressed, so the same bundle deployed twice has the same version and two different bundles never share one.
 */
public final class ModelVersion {
    private ModelVersion() {
    }

    public static String of(Path bundle) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(bundle), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
