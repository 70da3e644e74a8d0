/** Training: read, check, normalise, fit, calibrate, bundle. */
package dev.vigil.model.train;
