package dev.vigil.runtime.score;

/**
 * A model's standing on one machine.
 *
 * @param version the model version (bundle content hash)
 * @param windows windows it scored here
 * @param alarms windows it was in alarm
 * @param maxSmoothed its highest smoothed score here
 * @param warning its warning level (after any feedback factor)
 * @param critical its critical level
 */
public record ModelState(String version, long windows, long alarms, double maxSmoothed, double warning,
                         double critical) {

    static ModelState of(Scorer s) {
        return s == null ? null : new ModelState(s.version, s.windows, s.alarms, s.maxSmoothed,
                s.model.calibration().warning(), s.model.calibration().critical());
    }
}
