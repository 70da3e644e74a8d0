package dev.vigil.runtime.scheduler;

import dev.vigil.domain.FaultType;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Scoring;
import dev.vigil.runtime.TestModels;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The time-to-critical forecast on the real model scoring a simulated spindle whose imbalance grows linearly: the
 * forecast made when the first warning is raised is compared with when the smoothed score really crosses the
 * critical level, as the availability service would make it (one forecast per scored window).
 */
@Tag("slow")
class ForecastAccuracyTest {

    @Test
    void atTheFirstWarningTheTimeToCriticalIsWithinAQuarter(@TempDir Path dir) throws Exception {
        // one constant cutting step: the score then follows the fault, not the part program (see SCHEDULER.md)
        CncSpec spec = CncSpec.defaults("spindle-f").withConstantSpeed(12_000, 60);
        Path bundle = TestModels.cnc(spec, 51);
        Path faulty = dir.resolve("faulty");
        Simulation.builder(spec).lifeDurationS(1800).seed(5)
                .fault(new FaultSpec(FaultType.IMBALANCE, 180, 1620, Progression.LINEAR, 0.01, null, 0))
                .build().writeRecording(faulty, b -> { });

        List<Assessment> scored = new ArrayList<>();
        Scoring.run(Bundle.read(bundle).model(), faulty, null, (lo, a) -> scored.add(a));

        HealthForecast forecast = new HealthForecast(30 * 60_000L, 10);
        Assessment firstWarning = null;
        Assessment critical = null;
        List<double[]> predicted = new ArrayList<>();  // {epochMillis, hours}
        long start = scored.get(0).epochMillis();
        for (Assessment a : scored) {
            if (a.score() != a.score()) {
                continue;
            }
            forecast.add(a.epochMillis(), a.smoothed(), a.warning(), a.critical());
            // the first minute is the smoothing settling in: no alarm there counts as the fault's
            if (firstWarning == null && a.alarm() && a.epochMillis() - start > 60_000) {
                firstWarning = a;
            }
            if (firstWarning != null && critical == null && a.smoothed() > a.critical()) {
                critical = a;
            }
            Availability.Forecast f = forecast.forecast();
            if (firstWarning != null && critical == null && f != null) {
                predicted.add(new double[]{a.epochMillis(), f.hours()});
            }
        }
        assertThat(firstWarning).as("the fault raised a warning").isNotNull();
        assertThat(critical).as("the fault reached the critical level").isNotNull();
        assertThat(predicted).isNotEmpty();

        double actualAtWarning = (critical.epochMillis() - firstWarning.epochMillis()) / 3_600_000.0;
        double[] atWarning = predicted.get(0);
        assertThat(atWarning[0]).isEqualTo(firstWarning.epochMillis());
        StringBuilder report = new StringBuilder();
        for (double share : new double[]{0, 0.25, 0.5, 0.75}) {
            double[] p = predicted.get((int) (share * (predicted.size() - 1)));
            double actual = (critical.epochMillis() - p[0]) / 3_600_000.0;
            report.append(String.format(Locale.ROOT, "%n  %.0f min after the first warning: forecast %.1f min, actual %.1f min (%+.0f %%)",
                    (p[0] - firstWarning.epochMillis()) / 60_000.0, p[1] * 60, actual * 60, 100 * (p[1] - actual) / actual));
        }
        System.out.println("forecast accuracy (imbalance 0 -> 0.01 linear, constant speed):" + report);
        assertThat(atWarning[1]).as("forecast at the first warning vs actual %.1f min:%s", actualAtWarning * 60, report)
                .isBetween(0.75 * actualAtWarning, 1.25 * actualAtWarning);
    }
}
