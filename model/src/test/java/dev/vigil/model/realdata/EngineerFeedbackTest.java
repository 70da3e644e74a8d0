package dev.vigil.model.realdata;

import dev.vigil.model.calibrate.Calibration;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The engineer-in-the-loop replay: levels rise after each false alarm only, as the service's feedback does. */
class EngineerFeedbackTest {
    private static final Calibration LEVELS = new Calibration(1, 2, Calibration.DEFAULT_ALPHA, 3, 5, 0.8, 1e-4, 1e-7,
            null);

    /** Quiet running (0.3) with a burst of {@code height} x warning lasting 12 windows every 60 windows. */
    private static List<Scored> bursts(int count, double height) {
        List<Scored> rows = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < 60; i++) {
                rows.add(new Scored(new double[0], false, null, i >= 20 && i < 32 ? height : 0.3, false));
            }
        }
        return rows;
    }

    private static int raised(boolean[] a) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            n += a[i] && (i == 0 || !a[i - 1]) ? 1 : 0;
        }
        return n;
    }

    @Test
    void withoutAVerdictTheReplayIsTheTrackersOwnRun() {
        List<Scored> rows = bursts(5, 1.3);
        rows.add(5, new Scored(new double[0], false, null, Double.NaN, true));
        boolean[] replay = EngineerFeedback.alarms(LEVELS, rows, i -> false);
        Calibration.Tracker t = LEVELS.tracker();
        for (int i = 0; i < rows.size(); i++) {
            t.update(rows.get(i).score());
            assertThat(replay[i]).as("window %d", i).isEqualTo(t.alarm() && !rows.get(i).sensor());
        }
        assertThat(raised(replay)).isEqualTo(5);
    }

    @Test
    void eachFalseAlarmRaisesTheLevelsUntilBurstsOfThatHeightNoLongerAlarm() {
        // 1.3 x warning: the levels pass it after three false alarms (1.1^3 = 1.33)
        boolean[] replay = EngineerFeedback.alarms(LEVELS, bursts(8, 1.3), i -> true);
        assertThat(raised(replay)).isEqualTo(3);
    }

    @Test
    void confirmedFaultsLeaveTheLevelsAsTheyAre() {
        boolean[] replay = EngineerFeedback.alarms(LEVELS, bursts(8, 1.3), i -> false);
        assertThat(raised(replay)).isEqualTo(8);
    }

    @Test
    void theLevelsRiseNoFurtherThanTheCap() {
        // 1.8 x warning stays above the capped levels (1.5 x): every burst alarms however often it is called false
        boolean[] replay = EngineerFeedback.alarms(LEVELS, bursts(8, 1.8), i -> true);
        assertThat(raised(replay)).isEqualTo(8);
    }
}
