/** A trained model as one value: features, context normalisation, detector, calibration; and its assessments. */
package dev.vigil.model.score;
