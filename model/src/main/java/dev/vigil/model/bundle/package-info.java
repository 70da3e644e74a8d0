/** The versioned model bundle: one zip with manifest, detector and checksums (see docs/BUNDLE.md). */
package dev.vigil.model.bundle;
