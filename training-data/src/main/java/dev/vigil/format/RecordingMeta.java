package dev.vigil.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.domain.BearingGeometry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The contents of a recording's meta.json.
 *
 * @param formatVersion version of the recording format ({@link #FORMAT_VERSION} when written by this code)
 * @param machineId the machine the signals came from
 * @param kind machine kind (cnc, robot, or any other word for real data)
 * @param start wall-clock time of the first sample
 * @param channels the channels, each in its own file
 * @param bearing the monitored bearing's geometry, when known
 * @param simulation how the simulator produced the recording (spec, faults, seed, speed-up), or null for real data
 */
public record RecordingMeta(int formatVersion, String machineId, String kind, Instant start,
                            List<ChannelMeta> channels, BearingGeometry bearing, JsonNode simulation) {
    public static final String FORMAT = "vigil-recording";
    public static final int FORMAT_VERSION = 1;

    public RecordingMeta {
        channels = List.copyOf(channels);
    }

    public Optional<ChannelMeta> channel(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<BearingGeometry> bearingGeometry() {
        return Optional.ofNullable(bearing);
    }

    /** Longest channel duration in seconds. */
    public double durationS() {
        return channels.stream().mapToDouble(ChannelMeta::durationS).max().orElse(0);
    }

    RecordingMeta withChannels(List<ChannelMeta> newChannels) {
        return new RecordingMeta(formatVersion, machineId, kind, start, newChannels, bearing, simulation);
    }
}
