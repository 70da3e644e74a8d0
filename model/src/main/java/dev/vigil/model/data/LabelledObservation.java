package dev.vigil.model.data;

import dev.vigil.model.feature.Observation;

/**
 * An observation with what the input's labels say about it.
 *
 * @param observation the features
 * @param machineFault fault name when a machine fault is labelled over this window or row, else null
 * @param severity labelled severity (1 for an unnamed anomaly label, 0 when healthy)
 * @param sensorFault sensor fault labelled here, else null
 * @param labelled whether the input carries labels at all
 */
public record LabelledObservation(Observation observation, String machineFault, double severity, String sensorFault,
                                  boolean labelled) {
    public boolean anomalous() {
        return machineFault != null;
    }
}
