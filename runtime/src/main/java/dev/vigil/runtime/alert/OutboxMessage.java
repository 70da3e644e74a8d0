package dev.vigil.runtime.alert;

/**
 * A webhook message to deliver to one endpoint, written in the same transaction as the change it announces (an
 * alert's, or a machine's availability), so a crash keeps both or neither.
 *
 * @param eventId the CloudEvents id, unique per message
 * @param type the CloudEvents type
 * @param body the CloudEvent, encoded
 */
public record OutboxMessage(String endpoint, String machineId, String eventId, String type, String body) {
}
