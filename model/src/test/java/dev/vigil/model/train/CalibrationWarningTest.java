package dev.vigil.model.train;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.calibrate.PeaksOverThreshold;
import dev.vigil.model.data.Finding;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Training warns when a few odd held-out windows, not the machine's usual scores, set the alarm levels. */
class CalibrationWarningTest {

    private static Calibration levels(double warning) {
        return new Calibration(warning, 2 * warning, 0.3, 3, 5, 0.8, 1e-4, 1e-7, PeaksOverThreshold.fit(new double[]{1, 2, 3}));
    }

    @Test
    void levelsFarAboveTheUsualHealthyScoreAreReportedWithTheirCause() {
        // the case met in practice: 99 held-out windows, median 1.6, five of them far above it
        double[] scores = new double[99];
        Arrays.fill(scores, 1.6);
        double[] odd = {11, 18, 25, 40, 54.6};
        System.arraycopy(odd, 0, scores, 94, odd.length);
        Finding f = Trainer.levelsRestOnFewWindows("healthy", levels(81.9), scores);
        assertThat(f).isNotNull();
        assertThat(f.isError()).isFalse();
        assertThat(f.line()).contains("healthy").contains("81.9").contains("51x").contains("median healthy score 1.60")
                .contains("the 5 of 99").contains("up to 54.6").contains("more healthy data");
    }

    @Test
    void levelsAFewTimesTheUsualScoreAreNormal() {
        double[] scores = new double[200];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 1 + i / 200.0;
        }
        assertThat(Trainer.levelsRestOnFewWindows("healthy", levels(3.3), scores)).isNull();
        assertThat(Trainer.levelsRestOnFewWindows("healthy", levels(3.3), new double[0])).isNull();
    }
}
