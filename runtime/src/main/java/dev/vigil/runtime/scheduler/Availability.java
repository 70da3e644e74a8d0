package dev.vigil.runtime.scheduler;

import java.time.Instant;

/**
 * What a scheduler needs to know about a machine.
 *
 * @param status available, degraded (warning), at-risk (critical, or forecast to reach critical within the
 *               configured horizon), in-maintenance (an engineer acknowledged its alert), offline (no data)
 * @param reason why, in words (the alert's fault and severity, "no data since ...")
 * @param since when the machine entered this status
 * @param risk 0 (healthy) to 1 (at or above the critical level): the smoothed score over the critical level
 * @param forecast time to the critical level from the score's trend, or null when it is not rising
 * @param alertId the open alert behind the status, or 0
 */
public record Availability(String machineId, String tenant, String status, String reason, Instant since, double risk,
                           Forecast forecast, long alertId) {

    /**
     * Hours until the smoothed score crosses the critical level at its current trend, with a 95 % interval.
     *
     * @param basedOnMinutes how much recent history the trend was fitted on
     */
    public record Forecast(double hours, double lowHours, double highHours, double basedOnMinutes) {
    }

    public static final String AVAILABLE = "available";
    public static final String DEGRADED = "degraded";
    public static final String AT_RISK = "at-risk";
    public static final String IN_MAINTENANCE = "in-maintenance";
    public static final String OFFLINE = "offline";
}
