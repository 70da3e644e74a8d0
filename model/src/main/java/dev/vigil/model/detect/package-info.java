/**
 * Anomaly detectors over context-normalised feature vectors: a DL4J autoencoder (the default), a sequence
 * autoencoder for tabular streams, and PCA with Hotelling T-squared and SPE as a fast baseline.
 */
package dev.vigil.model.detect;
