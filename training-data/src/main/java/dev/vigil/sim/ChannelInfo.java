package dev.vigil.sim;

/**
 * One simulated channel.
 *
 * @param name channel name, unique per machine (also the recording's file name stem)
 * @param unit physical unit (g, A, rpm, %, deg, ...)
 * @param sampleRateHz samples per second
 * @param position where the sensor sits, in words an engineer would use
 * @param role vibration, current, position or tag
 */
public record ChannelInfo(String name, String unit, double sampleRateHz, String position, String role) {

    public static final String VIBRATION = "vibration";
    public static final String CURRENT = "current";
    public static final String POSITION = "position";
    public static final String TAG = "tag";

    int samplesPer(double seconds) {
        return (int) Math.round(sampleRateHz * seconds);
    }
}
