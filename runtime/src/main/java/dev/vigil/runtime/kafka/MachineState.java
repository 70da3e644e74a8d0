package dev.vigil.runtime.kafka;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.score.ModelDrift;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.MachineStore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an instance of a cluster hands on with a machine to the instance that takes it over: the machine's open
 * alerts and its newest resolved ones, with their histories, the engineers' level feedback, and the messages about
 * it not yet delivered.
 *
 * @param writtenBy the instance that owned the machine when it wrote this
 * @param at when (the writer's clock)
 * @param alerts open alerts and the newest resolved ones, newest first
 * @param histories each alert's history, oldest first
 * @param feedback the machine's level feedback, or null for none
 * @param undelivered the webhook and topic messages about the machine not yet delivered, oldest first: the new owner
 *                    delivers them (the old one may be dead), so the receivers miss no change
 * @param alarm the active model's alarm state (smoothing, hysteresis) when this was written, or null
 * @param schedulerAck the scheduler's newest confirmation that it excluded or re-admitted the machine, or null
 * @param drift what the active model's drift follower learned, or null when the machine does not follow drift
 */
record MachineState(String machineId, String writtenBy, Instant at, List<Alert> alerts,
                    Map<Long, List<HistoryEntry>> histories, MachineStore.Feedback feedback,
                    List<OutboxMessage> undelivered, Calibration.AlarmState alarm,
                    AvailabilityLog.SchedulerAck schedulerAck, ModelDrift drift) {
}
