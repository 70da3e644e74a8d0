package dev.vigil.model.feature;

/**
 * One stream's pass through the feature pipeline: the features of each window, then the settling gate (the first
 * window after a transient is not steady either). Training reads each recording through one and the runtime each
 * machine's live windows, so a window is judged by the same code in both. Not thread-safe: one per stream, fed in
 * window order.
 */
public final class FeatureStream {
    private final WaveformFeatures features;
    private final SettlingGate gate = new SettlingGate();

    FeatureStream(WaveformFeatures features) {
        this.features = features;
    }

    /**
     * The next window's observation.
     *
     * @param startS the window's start, seconds from the stream's start
     * @param epochMillis the window's end, wall clock (or {@link Long#MIN_VALUE} when unknown)
     * @param channels the window's samples, one array per channel of the spec, in its order
     */
    public Observation next(long index, double startS, long epochMillis, float[][] channels) {
        return gate.apply(features.extract(index, startS, epochMillis, channels));
    }
}
