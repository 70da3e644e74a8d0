package dev.vigil.sim;

/**
 * One block of simulated signal: every channel's samples over [startS, startS + blockSeconds).
 *
 * @param index block number from the start of the recording
 * @param startS recording time of the first sample, seconds
 * @param samples one array per channel, in the order of {@link Simulation#channels()}
 */
public record SimBlock(long index, double startS, float[][] samples) {
}
