package dev.vigil.sim;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.domain.FaultType;

/**
 * One injected fault, in machine-life time (before any speed-up).
 *
 * @param type the fault
 * @param onsetS machine-life seconds from the start of the run at which the fault appears
 * @param rampS machine-life seconds from onset until {@code maxSeverity} is reached
 * @param progression shape of the growth
 * @param maxSeverity severity reached at the end of the ramp, in (0, 1]
 * @param channel for sensor faults, the affected channel; null for machine faults
 * @param axis for robot faults, the affected joint (1-based); 0 when not applicable
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultSpec(FaultType type, double onsetS, double rampS, Progression progression, double maxSeverity,
                        String channel, int axis) {

    public FaultSpec {
        if (type == null) {
            throw new IllegalArgumentException("fault type is required");
        }
        if (!(onsetS >= 0) || !Double.isFinite(onsetS)) {
            throw new IllegalArgumentException(type.id() + ": onset must be >= 0 seconds, got " + onsetS);
        }
        if (!(rampS >= 0) || !Double.isFinite(rampS)) {
            throw new IllegalArgumentException(type.id() + ": ramp must be >= 0 seconds, got " + rampS);
        }
        if (!(maxSeverity > 0 && maxSeverity <= 1)) {
            throw new IllegalArgumentException(type.id() + ": maxSeverity must be in (0, 1], got " + maxSeverity);
        }
        if (progression == null) {
            progression = Progression.LINEAR;
        }
        if (!type.isSensorFault() && channel != null) {
            throw new IllegalArgumentException(type.id() + " is a machine fault and takes no channel");
        }
    }

    /** Severity at machine-life time t: 0 before onset, then rising along the progression. */
    public double severityAt(double lifeS) {
        if (lifeS < onsetS) {
            return 0;
        }
        double u = rampS <= 0 ? 1 : (lifeS - onsetS) / rampS;
        return maxSeverity * progression.shape(u);
    }
}
