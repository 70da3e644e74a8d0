package dev.vigil.model.bundle;

import java.util.List;
import java.util.Map;

/**
 * Provenance of a trained model: what it was trained on and how it went.
 *
 * @param inputs each training input with its SHA-256 fingerprint
 * @param options the training options as given
 * @param observations windows or rows read
 * @param healthy observations eligible for fitting
 * @param fit observations the detector was fitted on
 * @param validation observations used for early stopping
 * @param calibration observations used for the thresholds
 * @param excludedLabelled observations left out because a label marked them anomalous
 * @param excludedSensor observations left out because of a sensor problem
 * @param metrics training metrics (losses, score quantiles, epochs)
 * @param seconds wall-clock training time
 */
public record TrainingRecord(List<Input> inputs, Map<String, Object> options, long observations, long healthy, long fit,
                             long validation, long calibration, long excludedLabelled, long excludedSensor,
                             Map<String, Object> metrics, double seconds) {

    /** One input and its fingerprint. */
    public record Input(String path, String kind, String sha256, long bytes) {
    }
}
