package dev.vigil.runtime.ingest;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert latency metric measures from the window that made each change, a clearing's included. */
class AlertLatencyTest {
    private static final Instant FIRST = Instant.parse("2026-12-02T10:00:00Z");
    private static final Instant LAST = Instant.parse("2026-12-02T10:00:30Z");
    private static final Instant CLEARED = Instant.parse("2026-12-02T10:01:30Z");

    private static Alert raised() {
        return Alert.open("m-1", Category.MACHINE, "bearing-outer", Severity.WARNING, FIRST, LAST, 3, 2, 4, "env_bpfo");
    }

    @Test
    void aRaisedOrUpdatedAlertIsChangedByItsNewestWindow() {
        assertThat(FrameScoring.changedBy(new AlertEvent(AlertEvent.Type.RAISED, raised()))).isEqualTo(LAST);
        assertThat(FrameScoring.changedBy(new AlertEvent(AlertEvent.Type.UPDATED, raised()))).isEqualTo(LAST);
    }

    @Test
    void aClearingIsChangedByTheWindowThatClearedIt() {
        Alert cleared = raised().cleared(LAST, CLEARED, 1, 2, 4);
        assertThat(cleared.lastSeen()).as("the last anomalous window stays the alert's").isEqualTo(LAST);
        assertThat(FrameScoring.changedBy(new AlertEvent(AlertEvent.Type.CLEARED, cleared))).isEqualTo(CLEARED);
    }
}
