package dev.vigil.domain;

/**
 * A contiguous run of samples of one channel, as a sensor gateway would send it.
 *
 * @param machineId the machine
 * @param channel the channel name
 * @param startNanos epoch nanoseconds of the first sample
 * @param sampleRateHz samples per second
 * @param samples the samples (NaN where the sensor delivered no data)
 */
public record Frame(String machineId, String channel, long startNanos, double sampleRateHz, float[] samples) {

    /** Epoch nanoseconds just after the last sample. */
    public long endNanos() {
        return startNanos + Math.round(samples.length * 1e9 / sampleRateHz);
    }
}
