package dev.vigil.runtime.scheduler;

import dev.vigil.domain.WireNames;

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
public record Availability(String machineId, String tenant, Status status, String reason, Instant since, double risk,
                           Forecast forecast, long alertId) {

    /**
     * Hours until the smoothed score crosses the critical level at its current trend, with a 95 % interval.
     *
     * @param basedOnMinutes how much recent history the trend was fitted on
     */
    public record Forecast(double hours, double lowHours, double highHours, double basedOnMinutes) {
    }

    /** Whether a scheduler may book the machine, and if not, why. */
    public enum Status {
        AVAILABLE, DEGRADED, AT_RISK, IN_MAINTENANCE, OFFLINE;

        /** The name in the API, the webhooks and the store ({@code available}, {@code at-risk}, ...). */
        public String id() {
            return WireNames.id(this);
        }

        /** @throws IllegalArgumentException naming the values allowed */
        public static Status parse(String text) {
            return WireNames.parse(values(), text, "status");
        }
    }
}
