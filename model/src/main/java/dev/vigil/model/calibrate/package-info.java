/** Alarm thresholds from healthy scores (peaks over threshold), score smoothing and hysteresis. */
package dev.vigil.model.calibrate;
