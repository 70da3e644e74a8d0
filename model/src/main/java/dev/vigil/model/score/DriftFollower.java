package dev.vigil.model.score;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows slow healthy drift after deployment (seasons, run-in, a sensor that wanders) without learning a fault:
 * a per-feature offset, in units of the feature's healthy spread, subtracted from the standardised residual
 * before the detector sees it.
 *
 * <p>Guards, because a follower that learns everything learns the fault too:
 * <ul>
 *   <li>it learns only from windows whose smoothed score is well below warning ({@code safeFraction} of it),
 *       never while the alarm is up, and never from windows that were not scored;</li>
 *   <li>it learns slowly: an exponential average with a time constant of {@code timeConstantS} seconds of data
 *       (so a fault that grows over hours is not absorbed);</li>
 *   <li>every offset is capped at {@code capSigma} healthy standard deviations: a fault that hides below the
 *       safe level can shift the baseline by at most that much, and whatever grows beyond it is scored in full;</li>
 *   <li>an audit trail: each time a feature's offset passes another half standard deviation, a {@link Shift} is
 *       recorded (when, which feature, how far).</li>
 * </ul>
 * The risk that remains is written in docs/MODEL.md: a fault that grows more slowly than the time constant and
 * stays below the safe level until the cap is reached is detected up to {@code capSigma} later. One per stream;
 * not thread-safe.
 */
public final class DriftFollower {

    /**
     * @param timeConstantS how much data (seconds) the average spans; rows without time count as one second
     * @param safeFraction learn only while the smoothed score is below this fraction of warning
     * @param capSigma largest offset per feature, in healthy standard deviations
     */
    public record Settings(double timeConstantS, double safeFraction, double capSigma) {
        public Settings {
            if (!(timeConstantS > 0) || !(safeFraction > 0 && safeFraction < 1) || !(capSigma > 0)) {
                throw new IllegalArgumentException("drift follower needs timeConstantS > 0, 0 < safeFraction < 1 and "
                        + "capSigma > 0, got " + timeConstantS + ", " + safeFraction + ", " + capSigma);
            }
        }

        /**
         * One day of data (longer than a day-night cycle, so the follower does not chase it; a time constant of 6 h
         * did, and raised alarms on the cycle's lag), half the warning level, two standard deviations.
         */
        public static Settings defaults() {
            return new Settings(86_400, 0.5, 2);
        }
    }

    /** One step in the audit trail: a feature's offset passed another half standard deviation. */
    public record Shift(long index, long epochMillis, String feature, double offsetSigma) {
    }

    /**
     * What a follower learned, to continue it on another instance of a cluster (the machine moved there).
     *
     * @param features the features the offsets are for, in order (the model's)
     * @param offsets each feature's offset, in healthy standard deviations
     * @param learned windows learned from
     * @param held windows held back by the guards
     * @param lastMillis the time of the last window it saw ({@code Long.MIN_VALUE}: none, or without time), from
     *                   which the next window's weight counts (a gap weighs as a gap, wherever the windows were scored)
     */
    public record State(List<String> features, double[] offsets, long learned, long held, long lastMillis) {
        public State {
            features = List.copyOf(features);
            offsets = offsets.clone();
            if (offsets.length != features.size()) {
                throw new IllegalArgumentException(offsets.length + " offsets for " + features.size() + " features");
            }
        }

        @Override
        public double[] offsets() {
            return offsets.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && features.equals(s.features) && java.util.Arrays.equals(offsets, s.offsets)
                    && learned == s.learned && held == s.held && lastMillis == s.lastMillis;
        }

        @Override
        public int hashCode() {
            return 31 * features.hashCode() + java.util.Arrays.hashCode(offsets);
        }

        @Override
        public String toString() {
            return "State" + java.util.Arrays.toString(offsets) + " learned " + learned + " held " + held;
        }
    }

    private static final double AUDIT_STEP = 0.5;

    private final Settings settings;
    private final List<String> names;
    private final double[] offset;
    private final int[] auditLevel;
    private final List<Shift> audit = new ArrayList<>();
    private long previousMillis = Long.MIN_VALUE;
    private long learned;
    private long held;

    DriftFollower(Settings settings, List<String> featureNames) {
        this.settings = settings;
        this.names = List.copyOf(featureNames);
        this.offset = new double[names.size()];
        this.auditLevel = new int[names.size()];
    }

    /** The residual the detector should see: z less the followed offset. */
    double[] apply(double[] z) {
        double[] out = new double[z.length];
        for (int j = 0; j < z.length; j++) {
            out[j] = z[j] - offset[j];
        }
        return out;
    }

    /**
     * Learns from one assessed window (z before the offset), or holds when the guards say no.
     *
     * @param alarm whether the alarm is up after this window
     */
    void learn(long index, long epochMillis, double[] z, double smoothed, double warning, boolean alarm) {
        double dt = epochMillis != Long.MIN_VALUE && previousMillis != Long.MIN_VALUE && epochMillis > previousMillis
                ? (epochMillis - previousMillis) / 1000.0 : 1;
        previousMillis = epochMillis;
        if (alarm || !(smoothed < settings.safeFraction() * warning)) {
            held++;
            return;
        }
        double rate = Math.min(1, dt / settings.timeConstantS());
        for (int j = 0; j < offset.length; j++) {
            if (!Double.isFinite(z[j])) {
                continue;
            }
            double next = offset[j] + rate * (z[j] - offset[j]);
            offset[j] = Math.max(-settings.capSigma(), Math.min(settings.capSigma(), next));
            int level = (int) (Math.abs(offset[j]) / AUDIT_STEP);
            if (level > auditLevel[j]) {
                auditLevel[j] = level;
                audit.add(new Shift(index, epochMillis, names.get(j), offset[j]));
            }
        }
        learned++;
    }

    /** What this follower learned so far. */
    public State state() {
        return new State(names, offset, learned, held, previousMillis);
    }

    /**
     * Continues from what a follower of the same model learned elsewhere. The audit trail here goes on from the
     * offsets' levels (a shift recorded there is not recorded again).
     *
     * @throws IllegalArgumentException when the state is for other features (another model)
     */
    public void restore(State state) {
        if (!state.features().equals(names)) {
            throw new IllegalArgumentException("drift state for features " + state.features() + ", this model has "
                    + names);
        }
        double[] o = state.offsets();
        for (int j = 0; j < offset.length; j++) {
            offset[j] = Double.isFinite(o[j]) ? Math.max(-settings.capSigma(), Math.min(settings.capSigma(), o[j])) : 0;
            auditLevel[j] = (int) (Math.abs(offset[j]) / AUDIT_STEP);
        }
        learned = state.learned();
        held = state.held();
        previousMillis = state.lastMillis();
    }

    /** Offsets now, in healthy standard deviations, in feature order. */
    public double[] offsets() {
        return offset.clone();
    }

    public List<Shift> audit() {
        return List.copyOf(audit);
    }

    /** Windows learned from, and windows held back by the guards. */
    public long learned() {
        return learned;
    }

    public long held() {
        return held;
    }
}
