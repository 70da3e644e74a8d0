package dev.vigil.model.feature;

import java.util.List;

/** How long a robot stood still in a window: every joint slower than {@value #SPEED_DEG_S} deg/s. */
public final class Standstill {
    /** Slower than this is standing (an encoder's quantisation and a servo's hunting stay below it). */
    static final double SPEED_DEG_S = 0.5;
    /** Speed is read over this span, so that quantisation steps do not read as motion. */
    static final double SPAN_S = 0.05;

    private Standstill() {
    }

    /**
     * @param joints each joint's positions in degrees over the window, same rate and length
     * @param rateHz their sample rate
     * @return seconds during which no joint moved
     */
    public static double seconds(List<float[]> joints, double rateHz) {
        int span = Math.max(1, (int) Math.round(SPAN_S * rateHz));
        int n = joints.stream().mapToInt(j -> j.length).min().orElse(0);
        double limit = SPEED_DEG_S * span / rateHz;
        int standing = 0;
        for (int i = 0; i + span < n; i++) {
            boolean moving = false;
            for (float[] q : joints) {
                float d = q[i + span] - q[i];
                moving |= d == d && Math.abs(d) > limit;
            }
            standing += moving ? 0 : 1;
        }
        return standing / rateHz;
    }
}
