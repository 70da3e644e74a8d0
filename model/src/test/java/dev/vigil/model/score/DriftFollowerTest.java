package dev.vigil.model.score;

import dev.vigil.model.data.InputOptions;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated week of a machine's 1-per-minute historian rows (vibration RMS, bearing temperature, motor current,
 * oil pressure, with a day-night cycle): trained on its first day, then scored for a week in which the healthy
 * machine drifts slowly (temperature and vibration creep as the machine runs in), with and without following.
 */
@Tag("functional")
class DriftFollowerTest {
    static final int DAY = 24 * 60;
    static final int WEEK = 7 * DAY;
    @TempDir
    static Path tmp;
    static Model model;

    /** Row i of the week; {@code faultFromDay} < 0: healthy throughout. */
    static double[] row(Random r, int i, double faultFromDay) {
        double day = (double) i / DAY;
        double cycle = Math.sin(2 * Math.PI * day);
        double drift = day / 7; // 0 -> 1 over the week: two healthy spreads of vibration and temperature by the end
        double vib = 1.0 + 0.05 * cycle + 0.10 * drift + 0.05 * r.nextGaussian();
        double temp = 60 + 2 * cycle + 2 * drift + 1.0 * r.nextGaussian();
        double current = 12 + 0.3 * cycle + 0.2 * r.nextGaussian();
        double pressure = 3 + 0.05 * r.nextGaussian();
        if (faultFromDay >= 0 && day > faultFromDay) {
            double growth = (day - faultFromDay) / (7 - faultFromDay); // 0 -> 1 by the end of the week
            vib += 0.8 * growth * growth;    // a bearing defect: vibration grows faster and faster
            temp += 8 * growth * growth;     // and the bearing warms
        }
        return new double[]{vib, temp, current, pressure};
    }

    static Path csv(String name, int from, int to, long seed, double faultFromDay) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("time,vib_rms,bearing_temp,motor_current,oil_pressure\n");
        Instant t0 = Instant.parse("2026-03-02T00:00:00Z");
        for (int i = 0; i < to; i++) {
            double[] v = row(r, i, faultFromDay);
            if (i >= from) {
                b.append(t0.plusSeconds(60L * i)).append(String.format(Locale.ROOT, ",%.4f,%.3f,%.3f,%.4f\n",
                        v[0], v[1], v[2], v[3]));
            }
        }
        return Files.writeString(tmp.resolve(name), b.toString());
    }

    @BeforeAll
    static void train() throws Exception {
        Path firstDay = csv("day1.csv", 0, DAY, 1, -1);
        model = new Trainer(TrainOptions.of(List.of(firstDay)).withDetector("pca")
                .withInput(new InputOptions("time", List.of(), List.of(), null, null)), (e, m, t, v) -> { }, s -> { })
                .train().model();
    }

    record Outcome(int alarms, double firstAlarmDay) {
    }

    static Outcome score(Path week, DriftFollower.Settings drift) throws Exception {
        List<Assessment> out = new ArrayList<>();
        Scoring.run(model, week, null, drift, (lo, a) -> out.add(a));
        int alarms = 0;
        boolean prev = false;
        double first = Double.NaN;
        for (Assessment a : out) {
            if (a.alarm() && !prev) {
                alarms++;
                first = first == first ? first : a.startS() / 86_400 + 1; // the scored file starts after day 1
            }
            prev = a.alarm();
        }
        return new Outcome(alarms, first);
    }

    @Test
    void aSlowlyDriftingHealthyMachineStaysQuietForAWeekOnlyWhenFollowed() throws Exception {
        Path week = csv("healthy-week.csv", DAY, WEEK, 1, -1);
        Outcome fixed = score(week, null);
        Outcome followed = score(week, DriftFollower.Settings.defaults());
        System.out.printf(Locale.ROOT, "drift week: %d alarms without following (first on day %.2f), %d with%n",
                fixed.alarms(), fixed.firstAlarmDay(), followed.alarms());
        assertThat(fixed.alarms()).as("without following, healthy drift is alarmed (the problem)").isPositive();
        assertThat(followed.alarms()).as("alarms in a healthy week when following drift").isZero();
    }

    @Test
    void aFaultGrowingOverDaysIsStillCaughtWhileFollowing() throws Exception {
        Path week = csv("faulty-week.csv", DAY, WEEK, 1, 3);
        Outcome followed = score(week, DriftFollower.Settings.defaults());
        System.out.printf(Locale.ROOT, "drift week with a fault from day 3: first alarm on day %.2f while following%n",
                followed.firstAlarmDay());
        assertThat(followed.alarms()).as("the growing fault is alarmed").isPositive();
        assertThat(followed.firstAlarmDay()).as("day of the first alarm (fault from day 3, grown by day 7)")
                .isBetween(3.0, 6.5);
    }

    @Test
    void theFollowerIsCappedAndAudited() {
        DriftFollower f = new DriftFollower(new DriftFollower.Settings(600, 0.5, 2), List.of("a", "b"));
        for (int i = 0; i < 10_000; i++) {
            f.learn(i, 1_000L * 60 * i, new double[]{10, 0.1}, 0.1, 1, false);
        }
        assertThat(f.offsets()[0]).as("capped at 2 sigma").isEqualTo(2.0);
        assertThat(f.offsets()[1]).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(f.audit()).extracting(DriftFollower.Shift::feature).containsOnly("a").hasSizeBetween(2, 4);
        assertThat(f.audit().get(f.audit().size() - 1).offsetSigma()).isEqualTo(2.0);
        long learned = f.learned();
        f.learn(10_001, 1_000L * 60 * 10_001, new double[]{-10, -10}, 0.9, 1, false);
        f.learn(10_002, 1_000L * 60 * 10_002, new double[]{-10, -10}, 0.1, 1, true);
        assertThat(f.learned()).as("nothing learned near warning or while alarmed").isEqualTo(learned);
        assertThat(f.held()).isEqualTo(2);
        assertThat(f.offsets()[0]).isEqualTo(2.0);
    }
}
