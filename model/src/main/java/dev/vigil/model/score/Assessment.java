package dev.vigil.model.score;

import dev.vigil.model.explain.Contribution;
import dev.vigil.model.explain.FaultHypothesis;

import java.util.List;
import java.util.Map;

/**
 * Everything Vigil says about one window or row: the streaming result that alerts are built from.
 *
 * @param index window or row number in its stream
 * @param startS window start in seconds from the stream start
 * @param epochMillis wall-clock time of the window end, or Long.MIN_VALUE
 * @param score raw anomaly score (NaN when not scored because of a sensor problem)
 * @param smoothed smoothed score the levels apply to
 * @param warning warning level
 * @param critical critical level
 * @param alarm whether the alarm is raised (after hysteresis)
 * @param level normal, warning, critical, sensor (a sensor problem: not a machine anomaly) or transient (the
 *              operating state changed inside the window: not scored)
 * @param sensorIssue the sensor problem ({@code dropout:accel_y}), or null
 * @param top the largest contributions, largest first
 * @param channelShares each channel's share of the score
 * @param hypothesis the most likely fault and its evidence (null when not scored)
 * @param isoZone ISO 10816 zone of the highest velocity RMS when a machine class is configured, else null
 * @param velocityRms highest velocity RMS over vibration channels in mm/s, NaN when there is none
 * @param notes news about this window that is not an anomaly score (a column constant in training moved)
 */
public record Assessment(long index, double startS, long epochMillis, double score, double smoothed, double warning,
                         double critical, boolean alarm, Level level, String sensorIssue, List<Contribution> top,
                         Map<String, Double> channelShares, FaultHypothesis hypothesis, String isoZone,
                         double velocityRms, List<String> notes) {

    public Assessment {
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public String topContributor() {
        if (sensorIssue != null) {
            return "sensor:" + sensorIssue;
        }
        if (level == Level.TRANSIENT) {
            return "transient";
        }
        return top.isEmpty() ? "" : top.get(0).feature();
    }
}
