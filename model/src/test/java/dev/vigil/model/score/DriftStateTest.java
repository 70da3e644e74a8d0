package dev.vigil.model.score;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A drift follower continued from its state (the machine moved to another instance of a cluster) follows exactly as
 * the one that never moved, cut anywhere; a state for another model's features is refused.
 */
class DriftStateTest {
    private static final DriftFollower.Settings SETTINGS = new DriftFollower.Settings(50, 0.5, 2);
    private static final List<String> FEATURES = List.of("rms", "kurtosis", "bpfo");

    @Test
    void aRestoredFollowerGoesOnAsTheOneThatNeverMoved() {
        for (int cut : new int[]{0, 1, 37, 150}) {
            DriftFollower stayed = new DriftFollower(SETTINGS, FEATURES);
            DriftFollower moved = new DriftFollower(SETTINGS, FEATURES);
            Random r = new Random(7);
            for (int i = 0; i < 300; i++) {
                long at = i % 100 == 99 ? Long.MIN_VALUE : 1_700_000_000_000L + 500L * i + (i > 200 ? 60_000 : 0);
                // slow drift in the first feature, noise in all; windows every half second, a minute's gap, a few
                // without time
                double[] z = {0.01 * i + 0.3 * r.nextGaussian(), 0.3 * r.nextGaussian(), 0.3 * r.nextGaussian()};
                double smoothed = i % 40 == 0 ? 9 : 1; // now and then above the safe level: held
                if (i == cut) {
                    DriftFollower next = new DriftFollower(SETTINGS, FEATURES);
                    next.restore(moved.state());
                    moved = next;
                }
                stayed.learn(i, at, z, smoothed, 4, false);
                moved.learn(i, at, z, smoothed, 4, false);
                assertThat(moved.apply(z)).as("cut at %d, window %d", cut, i).isEqualTo(stayed.apply(z));
            }
            assertThat(moved.state()).isEqualTo(stayed.state());
            assertThat(moved.learned()).isEqualTo(stayed.learned());
            assertThat(moved.held()).isEqualTo(stayed.held()).isPositive();
        }
    }

    @Test
    void aStateOfOtherFeaturesIsRefusedAndOffsetsStayWithinTheCap() {
        DriftFollower f = new DriftFollower(SETTINGS, FEATURES);
        assertThatThrownBy(() -> f.restore(new DriftFollower.State(List.of("rms"), new double[]{1}, 1, 0, Long.MIN_VALUE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[rms]");
        assertThatThrownBy(() -> new DriftFollower.State(FEATURES, new double[]{1}, 1, 0, Long.MIN_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 offsets for 3 features");
        f.restore(new DriftFollower.State(FEATURES, new double[]{9, Double.NaN, -1.2}, 5, 2, Long.MIN_VALUE));
        assertThat(f.offsets()).containsExactly(2, 0, -1.2);
        assertThat(f.audit()).as("shifts recorded elsewhere are not recorded again").isEmpty();
    }
}
