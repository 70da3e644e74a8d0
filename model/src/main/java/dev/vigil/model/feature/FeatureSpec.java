package dev.vigil.model.feature;

import dev.vigil.domain.BearingGeometry;

import java.util.List;

/**
 * How features are computed, stored in the bundle so that the runtime computes exactly what training did.
 *
 * @param inputKind {@code waveform} or {@code tabular}
 * @param windowSeconds waveform window length
 * @param hopSeconds waveform hop between window starts
 * @param channels waveform channels and how each is used
 * @param bearing bearing geometry for envelope features, or null
 * @param envelopeBandFraction envelope band as fractions of the sample rate, {lo, hi}
 * @param tabularWindowRows K: rows per tabular window
 * @param tabularColumns numeric columns modelled
 * @param contextColumns tabular operating-context columns that are numeric
 * @param categoricalContextColumns tabular operating-context columns that are text or codes (program, tool)
 * @param timestampColumn tabular timestamp column, or null
 * @param constantColumns tabular columns that were constant in all training data, with their value: not modelled,
 *                        but a row where one moves says so in its assessment (a channel that came alive is news);
 *                        empty in bundles written before this field
 * @param stillLimitSeconds for a robot (joint positions), how long it may stand still in one window and still be
 *                          running its program: longer is a pause, and the window is not scored; 0 = no limit
 *                          (and in bundles written before this field)
 * @param cycleSeconds for a robot, its program's typical cycle: features are computed over the one complete cycle
 *                     that starts each window (found in the joint positions), wherever the window falls and however
 *                     long that cycle took; 0 = over the whole window (and in bundles written before this field)
 */
public record FeatureSpec(String inputKind, double windowSeconds, double hopSeconds, List<ChannelUse> channels,
                          BearingGeometry bearing, double[] envelopeBandFraction, int tabularWindowRows,
                          List<String> tabularColumns, List<String> contextColumns,
                          List<String> categoricalContextColumns, String timestampColumn,
                          java.util.Map<String, Double> constantColumns, double stillLimitSeconds,
                          double cycleSeconds) {

    public static final String WAVEFORM = "waveform";
    public static final String TABULAR = "tabular";

    /**
     * One waveform channel.
     *
     * @param use vibration, ac-current, servo-current, position (context), tag-numeric, tag-level, tag-categorical,
     *            tag-measured (a feature), speed (rpm tag, numeric context and shaft rate), supply (drive frequency tag)
     */
    public record ChannelUse(String name, String unit, double sampleRateHz, String use) {
        public static final String VIBRATION = "vibration";
        public static final String AC_CURRENT = "ac-current";
        public static final String SERVO_CURRENT = "servo-current";
        public static final String POSITION = "position";
        public static final String TAG_NUMERIC = "tag-numeric";
        /**
         * A numeric tag that changes inside most windows (a robot's payload, picked and placed every cycle): its
         * mean over the window is the context; how it moved inside the window depends on where the window falls.
         */
        public static final String TAG_LEVEL = "tag-level";
        public static final String TAG_CATEGORICAL = "tag-categorical";
        /** A controller value that measures effort (spindle load in %): modelled as a feature, not a condition. */
        public static final String TAG_MEASURED = "tag-measured";
        public static final String SPEED = "speed";
        public static final String SUPPLY = "supply";
    }

    public FeatureSpec {
        channels = channels == null ? List.of() : List.copyOf(channels);
        tabularColumns = tabularColumns == null ? List.of() : List.copyOf(tabularColumns);
        contextColumns = contextColumns == null ? List.of() : List.copyOf(contextColumns);
        categoricalContextColumns = categoricalContextColumns == null ? List.of() : List.copyOf(categoricalContextColumns);
        constantColumns = constantColumns == null ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(constantColumns));
    }

    public boolean isWaveform() {
        return WAVEFORM.equals(inputKind);
    }
}
