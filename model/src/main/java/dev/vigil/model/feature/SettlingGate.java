package dev.vigil.model.feature;

/**
 * After a transient (speed ramp, program step or tool change) a machine takes a moment to settle: the cut
 * engages, the load builds up, the structure stops ringing. One gate per stream marks the first window after
 * a transient as not steady too, so that neither training nor scoring mistakes settling for a fault.
 */
final class SettlingGate {
    private boolean previousSteady = true;

    Observation apply(Observation o) {
        boolean settled = o.steady() && previousSteady;
        previousSteady = o.steady();
        if (settled == o.steady()) {
            return o;
        }
        return new Observation(o.index(), o.startS(), o.epochMillis(), o.features(), o.numericContext(),
                o.categoricalContext(), o.sensorIssue(), false, o.notes(), o.defectLines());
    }
}
