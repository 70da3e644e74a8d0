package dev.vigil.model.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How scores become alarms: persistence over the smoothed score, and no alarm from one odd window. */
class AlarmPersistenceTest {
    private static final Calibration LEVELS = new Calibration(1, 2, Calibration.DEFAULT_ALPHA, 3, 5, 0.8, 1e-4, 1e-7,
            null);

    /** Feeds the scores; returns the index of the window that raised the alarm, or -1. */
    private static int raisedAt(double... scores) {
        Calibration.Tracker t = LEVELS.tracker();
        for (int i = 0; i < scores.length; i++) {
            t.update(scores[i]);
            if (t.alarm()) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void oneWindowScoringThreeTimesTheWarningDoesNotRaiseAnAlarm() {
        // the smoothed score stays above the warning for three windows (1.25, 1.12, 1.04) on that window alone
        Calibration.Tracker t = LEVELS.tracker();
        double[] scores = {0.5, 0.5, 0.5, 0.5, 3.6, 0.8, 0.9, 0.9, 0.5, 0.5, 0.5};
        int aboveInARow = 0;
        int most = 0;
        for (double s : scores) {
            aboveInARow = t.update(s) > 1 ? aboveInARow + 1 : 0;
            most = Math.max(most, aboveInARow);
            assertThat(t.alarm()).isFalse();
        }
        assertThat(most).as("smoothed windows above warning in a row").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFaultScoringHighWindowAfterWindowRaisesItAsBefore() {
        assertThat(raisedAt(0.5, 0.5, 1.6, 1.6, 1.6, 1.6, 1.6, 1.6)).isEqualTo(5);
        // two high windows among the three above warning are enough
        assertThat(raisedAt(0.5, 0.5, 4.0, 0.9, 2.0, 0.9, 0.9)).isEqualTo(4);
        // and an alarm clears after five smoothed windows below 0.8 x warning
        Calibration.Tracker t = LEVELS.tracker();
        for (double s : new double[]{2, 2, 2, 2}) {
            t.update(s);
        }
        assertThat(t.alarm()).isTrue();
        int cleared = -1;
        for (int i = 0; i < 20 && cleared < 0; i++) {
            t.update(0.3);
            cleared = t.alarm() ? -1 : i;
        }
        assertThat(cleared).isBetween(4, 10);
    }

    @Test
    void aStreamContinuedFromItsStateElsewhereDecidesAsIfItHadNeverMoved() {
        double[] scores = {0.5, 0.6, 1.6, 1.7, 1.8, 2.5, 2.4, 0.9, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.5};
        for (int cut = 0; cut <= scores.length; cut++) {
            Calibration.Tracker whole = LEVELS.tracker();
            Calibration.Tracker before = LEVELS.tracker();
            Calibration.Tracker after = LEVELS.tracker();
            for (int i = 0; i < scores.length; i++) {
                whole.update(scores[i]);
                if (i < cut) {
                    before.update(scores[i]);
                } else {
                    if (i == cut) {
                        after.restore(before.state());
                    }
                    after.update(scores[i]);
                    assertThat(after.state()).as("window %d, moved at %d", i, cut).isEqualTo(whole.state());
                }
            }
        }
        // a fresh tracker, by contrast, clears an alarm in progress on the next low-ish window
        Calibration.Tracker inAlarm = LEVELS.tracker();
        for (double s : new double[]{2, 2, 2, 2}) {
            inAlarm.update(s);
        }
        Calibration.Tracker moved = LEVELS.tracker();
        moved.restore(inAlarm.state());
        moved.update(0.7);
        assertThat(moved.alarm()).as("restored: still in alarm").isTrue();
        Calibration.Tracker fresh = LEVELS.tracker();
        fresh.update(0.7);
        assertThat(fresh.alarm()).isFalse();
    }
}
