package dev.vigil.runtime.score;

import dev.vigil.model.bundle.Fingerprint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A bundle's version as shown in alerts: the first 12 hex digits of the SHA-256 of the bundle file. Content
 * addressed, so the same bundle deployed twice has the same version and two different bundles never share one.
 */
public final class ModelVersion {
    private ModelVersion() {
    }

    public static String of(Path bundle) throws IOException {
        return Fingerprint.of(bundle).substring(0, 12);
    }
}
