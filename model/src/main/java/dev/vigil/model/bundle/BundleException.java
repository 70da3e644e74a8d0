package dev.vigil.model.bundle;

import java.io.IOException;
import java.nio.file.Path;

/** A bundle that cannot be used: unreadable, tampered with, from another format version, or for other inputs. */
public final class BundleException extends IOException {
    public BundleException(Path bundle, String problem) {
        super(bundle + ": " + problem);
    }
}
