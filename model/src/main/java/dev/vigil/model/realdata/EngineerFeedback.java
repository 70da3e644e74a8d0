package dev.vigil.model.realdata;

import dev.vigil.model.calibrate.Calibration;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * A stream's alarms as they would have been with an engineer in the loop, as the service works: each machine alert
 * the engineer resolves as a false alarm multiplies the machine's levels by {@link #STEP}, up to {@link #MAX} times
 * the calibrated ones (the service's defaults, {@code feedback.step} and {@code feedback.max}, docs/CONFIG.md);
 * confirmed faults change nothing. The engineer here resolves an alarm once it has cleared, as false when the
 * dataset's labels say it was raised outside every fault (what an inspection that found nothing would say).
 *
 * <p>Replayed from the raw scores the model's level tracker was fed: without drift following the scores do not
 * depend on the levels, so a tracker of the scaled calibration that continues the same state is what the service's
 * scorer does after a verdict (it goes on with the same features, smoothing and hysteresis at the new levels; only a
 * sequence detector's memory of the last rows starts again, which this replay does not model).
 */
final class EngineerFeedback {
    static final double STEP = 1.1;
    static final double MAX = 1.5;
    /** How the reports name these alarms. */
    static final String ROW = "Vigil, engineer marking false alarms (levels x1.1 each, up to x1.5)";

    private EngineerFeedback() {
    }

    /**
     * @param calibration the model's calibrated levels
     * @param rows the stream as scored, in order
     * @param falseAlarm whether an alarm raised at this index is a false one (judged where it was raised)
     * @return per index, whether the alarm was up (a window with a sensor problem is no machine alarm)
     */
    static boolean[] alarms(Calibration calibration, List<Scored> rows, IntPredicate falseAlarm) {
        boolean[] out = new boolean[rows.size()];
        double factor = 1;
        Calibration.Tracker tracker = calibration.tracker();
        int raisedAt = -1;
        for (int i = 0; i < out.length; i++) {
            boolean was = tracker.alarm();
            tracker.update(rows.get(i).score());
            if (tracker.alarm() && !was) {
                raisedAt = i;
            } else if (!tracker.alarm() && was && falseAlarm.test(raisedAt) && factor < MAX) {
                // resolved as a false alarm once it cleared: the levels rise from the next window on
                factor = Math.min(MAX, factor * STEP);
                Calibration.AlarmState state = tracker.state();
                tracker = calibration.scaled(factor).tracker();
                tracker.restore(state);
            }
            out[i] = tracker.alarm() && !rows.get(i).sensor();
        }
        return out;
    }
}
