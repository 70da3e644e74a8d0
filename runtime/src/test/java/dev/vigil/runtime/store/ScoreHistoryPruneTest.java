package dev.vigil.runtime.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Score-history retention is measured from the service clock: one point stamped a year ahead takes nothing with it. */
class ScoreHistoryPruneTest {
    @TempDir
    Path tmp;

    private static MachineStore.Point point(Instant at) {
        return new MachineStore.Point("spindle-7", at, 10, 1.2, 1.0, "normal", 2, 4, "v1");
    }

    @Test
    void pruningCountsFromTheServiceClockNotFromTheNewestData() throws Exception {
        Instant now = Instant.parse("2026-12-02T06:00:00Z");
        try (MachineStore store = MachineStore.open(tmp.resolve("vigil.db"))) {
            store.append(List.of(point(now.minus(Duration.ofDays(100))), point(now.minus(Duration.ofDays(30))),
                    point(now.minusSeconds(60)), point(now.plus(Duration.ofDays(365)))));
            assertThat(store.prune(Duration.ofDays(90), now)).isEqualTo(1);
            assertThat(store.history("spindle-7", now.minus(Duration.ofDays(1000)), now.plus(Duration.ofDays(1000)), 100))
                    .extracting(MachineStore.Point::at)
                    .containsExactly(now.minus(Duration.ofDays(30)), now.minusSeconds(60), now.plus(Duration.ofDays(365)));
        }
    }
}
