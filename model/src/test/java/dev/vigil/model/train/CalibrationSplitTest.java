package dev.vigil.model.train;

import dev.vigil.model.feature.Observation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which healthy observations set the levels: the latest of every operating mode, never a mode's only ones. */
class CalibrationSplitTest {

    private static Observation at(int i, String mode, long millis) {
        return new Observation(i, i, millis, new double[]{1}, new double[0], new String[]{mode}, null, true, List.of());
    }

    @Test
    void theLatestQuarterOfEveryModeCalibratesAndAModeSeenOnlyAtTheEndIsStillFitted() {
        List<Observation> healthy = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            healthy.add(at(i, i % 2 == 0 ? "tool-1" : "tool-2", 1000L * i));
        }
        for (int i = 80; i < 100; i++) {
            healthy.add(at(i, "tool-3", 1000L * i)); // a tool that only ran at the end
        }
        boolean[] cal = Trainer.calibrationMask(healthy);
        for (String mode : List.of("tool-1", "tool-2", "tool-3")) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < healthy.size(); i++) {
                if (healthy.get(i).categoricalContext()[0].equals(mode)) {
                    idx.add(i);
                }
            }
            long calibrating = idx.stream().filter(i -> cal[i]).count();
            assertThat(calibrating).as(mode + ": a quarter calibrates").isEqualTo(Math.round(0.25 * idx.size()));
            assertThat(idx.subList(idx.size() - (int) calibrating, idx.size())).as(mode + ": its latest ones")
                    .allSatisfy(i -> assertThat(cal[i]).isTrue());
            assertThat(idx.subList(0, idx.size() - (int) calibrating)).as(mode + ": the rest is fitted")
                    .allSatisfy(i -> assertThat(cal[i]).isFalse());
        }
    }

    @Test
    void stepIsWallClockTimePerObservationSoBurstsCountAsFewWindows() {
        List<Observation> bursts = new ArrayList<>();
        long t = 0;
        for (int burst = 0; burst < 5; burst++) {
            for (int w = 0; w < 16; w++) {
                bursts.add(at(bursts.size(), "a", t + 50L * w)); // 16 windows 0.05 s apart ...
            }
            t += 600_000; // ... every 10 minutes
        }
        double step = Trainer.stepSeconds(bursts);
        assertThat(step).isBetween(25.0, 35.0); // (4 x 600 s + 75 x 0.05 s) / 79 gaps
    }
}
