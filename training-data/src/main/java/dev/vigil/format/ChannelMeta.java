package dev.vigil.format;

/**
 * One channel of a waveform recording.
 *
 * @param name unique channel name
 * @param unit physical unit
 * @param sampleRateHz samples per second
 * @param position sensor position in words
 * @param role vibration, current, position or tag
 * @param file data file name inside the recording directory
 * @param samples number of samples in the file
 * @param sha256 hex SHA-256 of the data file, or null when not known
 */
public record ChannelMeta(String name, String unit, double sampleRateHz, String position, String role,
                          String file, long samples, String sha256) {

    public double durationS() {
        return samples / sampleRateHz;
    }

    ChannelMeta withCount(long count, String digest) {
        return new ChannelMeta(name, unit, sampleRateHz, position, role, file, count, digest);
    }
}
