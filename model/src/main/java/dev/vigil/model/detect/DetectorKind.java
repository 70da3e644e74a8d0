package dev.vigil.model.detect;

import dev.vigil.domain.WireNames;

/** The detectors Vigil trains; {@link #id()} is the name on the command line and in a bundle's manifest. */
public enum DetectorKind {
    /** Principal components of the healthy residuals (Hotelling T2 and the residual SPE). */
    PCA,
    /** A dense autoencoder over one window's residuals, conditioned on the context. */
    AUTOENCODER,
    /** An LSTM autoencoder over a short sequence of rows (tabular streams). */
    SEQUENCE_AUTOENCODER;

    /** {@code pca}, {@code autoencoder}, {@code sequence-autoencoder}. */
    public String id() {
        return WireNames.id(this);
    }

    /** @throws IllegalArgumentException naming the detectors there are */
    public static DetectorKind parse(String text) {
        return WireNames.parse(values(), text, "detector");
    }
}
