package dev.vigil.runtime.alert;

import dev.vigil.domain.FaultType;
import dev.vigil.model.explain.Contribution;
import dev.vigil.model.explain.Evidence;
import dev.vigil.model.explain.FaultHypothesis;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Level;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assessments to alerts to the SQLite file and back, across a restart. */
class AlertLifecycleTest {
    @TempDir
    Path tmp;
    private static final long T0 = 1_767_225_600_000L;

    private static Assessment window(int i, double smoothed, boolean alarm, String level, String fault, String sensor) {
        FaultHypothesis h = fault == null ? null : new FaultHypothesis(FaultType.parse(fault), 0.8,
                new Evidence("accel_x.env_bpfo", 553.5, 0.09, 0.002, 9.1));
        return new Assessment(i, i, T0 + 1000L * i, sensor == null ? smoothed : Double.NaN, smoothed, 3, 6, alarm,
                sensor != null ? Level.SENSOR : Level.parse(level), sensor, fault == null ? List.of()
                : List.of(new Contribution("accel_x.env_bpfo", "accel_x", 0.4, 0.09, 0.002)),
                Map.of("accel_x", 0.7), h, null, 1.2, List.of());
    }

    @Test
    void oneAlertGrowsClearsAndSurvivesARestartWithItsHistory() throws Exception {
        Path db = tmp.resolve("vigil.db");
        AlertTracker tracker = new AlertTracker("cnc-1", 3);
        List<AlertEvent> events = new ArrayList<>();
        events.addAll(tracker.update(window(0, 1, false, "normal", null, null)));
        events.addAll(tracker.update(window(1, 3.5, false, "normal", "bearing-outer", null)));
        events.addAll(tracker.update(window(2, 3.8, false, "normal", "bearing-outer", null)));
        events.addAll(tracker.update(window(3, 4.0, true, "warning", "bearing-outer", null)));
        events.addAll(tracker.update(window(4, 5.0, true, "warning", "bearing-outer", null)));
        events.addAll(tracker.update(window(5, 7.0, true, "critical", "bearing-outer", null)));
        events.addAll(tracker.update(window(6, 5.0, true, "warning", "bearing-outer", null)));
        events.addAll(tracker.update(window(7, 1.0, false, "normal", "bearing-outer", null)));
        assertThat(events).extracting(e -> e.type().id()).containsExactly("raised", "updated", "cleared");
        Alert raised = events.get(0).alert();
        assertThat(raised.firstSeen()).as("back-dated to the first window above warning").isEqualTo(Instant.ofEpochMilli(T0 + 1000));
        assertThat(events.get(1).alert().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(events.get(2).alert().severity()).as("severity does not fall while the alert lives")
                .isEqualTo(Severity.CRITICAL);
        assertThat(raised.evidence()).contains("\"hypothesis\":\"bearing-outer\"", "frequencyHz", "accel_x.env_bpfo");

        long id;
        try (EventStore file = EventStore.open(db)) {
            AlertStore store = file.alerts();
            assertThat(file.schemaVersion()).isEqualTo(20);
            Alert stored = null;
            for (AlertEvent e : events) {
                stored = store.save(new AlertEvent(e.type(), stored == null ? e.alert()
                        : e.alert().withId(stored.id())), Instant.ofEpochMilli(T0 + 10_000));
                tracker.stored(stored);
            }
            id = stored.id();
            store.acknowledge(id, "anna", Instant.ofEpochMilli(T0 + 20_000));
        }
        try (EventStore file = EventStore.open(db)) {
            AlertStore store = file.alerts();
            Alert back = store.get(id).orElseThrow();
            assertThat(back.active()).isFalse();
            assertThat(back.acknowledged()).isTrue();
            assertThat(back.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(back.fault()).isEqualTo("bearing-outer");
            assertThat(store.list("cnc-1", true)).hasSize(1);
            Alert resolved = store.resolve(id, "anna", Verdict.CONFIRMED, null, "outer race spalled, bearing replaced",
                    Instant.ofEpochMilli(T0 + 30_000));
            assertThat(resolved.handling().confirmedFault()).as("defaults to the hypothesis").isEqualTo("bearing-outer");
            assertThat(resolved.handling().acknowledgedBy()).isEqualTo("anna");
            assertThat(resolved.open()).isFalse();
            assertThat(store.list("cnc-1", true)).isEmpty();
            assertThat(store.history(id)).extracting(HistoryEntry::event)
                    .containsExactly("raised", "updated", "cleared", "acknowledged", "resolved");
            assertThatThrownBy(() -> store.resolve(id, "ben", Verdict.CONFIRMED, null, null, Instant.now()))
                    .hasMessageContaining("already resolved");
            assertThatThrownBy(() -> Verdict.parse("maybe"))
                    .hasMessageContaining("verdict must be");
        }
    }

    @Test
    void aPersistentSensorProblemIsASensorAlertNotAMachineAlert() {
        AlertTracker tracker = new AlertTracker("cnc-1", 3);
        List<AlertEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.addAll(tracker.update(window(i, 1, false, "normal", null, i >= 2 && i < 7 ? "dropout:accel_y" : null)));
        }
        assertThat(events).extracting(e -> e.type().id()).containsExactly("raised", "cleared");
        assertThat(events.get(0).alert().category()).isEqualTo(Category.SENSOR);
        assertThat(events.get(0).alert().fault()).isEqualTo("dropout:accel_y");
        AlertTracker once = new AlertTracker("cnc-1", 3);
        assertThat(once.update(window(0, 1, false, "normal", null, "spikes:accel_x"))).as("a one-off is no alert").isEmpty();
    }

    /** A clock the test moves. */
    static final class TestClock extends java.time.Clock {
        Instant now;

        TestClock(Instant start) {
            now = start;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static List<Assessment> run(int from, int to, double smoothed, boolean alarm, String level) {
        List<Assessment> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(window(i, smoothed, alarm, level, alarm ? "bearing-outer" : null, null));
        }
        return out;
    }

    @Test
    void criticalAlertsNobodyAcknowledgesEscalateOnceAndARestartKeepsUpdatingTheOpenAlert() throws Exception {
        Path db = tmp.resolve("vigil.db");
        TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
        List<AlertEvent> published = new ArrayList<>();
        long id;
        try (EventStore file = EventStore.open(db)) {
            AlertStore store = file.alerts();
            AlertService alerts = new AlertService(store, clock, 3, Duration.ofMinutes(30), AlertService.NO_WEBHOOKS,
                    published::add);
            alerts.accept("cnc-1", "abc123", run(0, 3, 7, true, "critical"));
            alerts.accept("cnc-2", "abc123", run(0, 3, 7, true, "critical"));
            id = store.list("cnc-1", true).get(0).id();
            assertThat(new io.vertx.core.json.JsonObject(store.get(id).orElseThrow().evidence()).getString("model"))
                    .isEqualTo("abc123");
            alerts.acknowledge(store.list("cnc-2", true).get(0).id(), "ben");
            clock.now = clock.now.plusSeconds(29 * 60);
            assertThat(alerts.escalate()).isEmpty();
            clock.now = clock.now.plusSeconds(2 * 60);
            List<Alert> escalated = alerts.escalate();
            assertThat(escalated).extracting(Alert::id).as("only the unacknowledged one").containsExactly(id);
            assertThat(escalated.get(0).handling().escalatedAt()).isEqualTo(clock.now);
            assertThat(alerts.escalate()).as("once").isEmpty();
            alerts.assign(id, "carl", "anna");
            alerts.comment(id, "carl", "on my way");
            assertThat(published).extracting(e -> e.type().id())
                    .containsExactly("raised", "raised", "acknowledged", "escalated", "assigned", "commented");
        }
        try (EventStore file = EventStore.open(db)) {
            AlertStore store = file.alerts();
            AlertService alerts = new AlertService(store, clock, 3, Duration.ofMinutes(30), AlertService.NO_WEBHOOKS,
                    e -> { });
            alerts.accept("cnc-1", "abc123", run(3, 6, 7, true, "critical"));
            assertThat(store.list("cnc-1", true)).as("the open alert is updated, not duplicated").hasSize(1);
            alerts.accept("cnc-1", "abc123", run(6, 7, 1, false, "normal"));
            Alert cleared = store.get(id).orElseThrow();
            assertThat(cleared.active()).isFalse();
            assertThat(cleared.handling().assignee()).isEqualTo("carl");
            assertThat(store.history(id)).extracting(HistoryEntry::event)
                    .containsExactly("raised", "escalated", "assigned", "commented", "cleared");
            assertThat(store.history(id).get(3).detail()).isEqualTo("on my way");

            alerts.accept("cnc-1", "abc123", run(7, 10, 7, true, "critical"));
            assertThat(store.get(id).orElseThrow().active()).as("the same open alert comes back").isTrue();
            alerts.resolve(id, "anna", Verdict.UNKNOWN, null, "could not find anything yet");
            alerts.accept("cnc-1", "abc123", run(10, 13, 7, true, "critical"));
            List<Alert> open = store.list("cnc-1", true);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).id()).as("a condition outliving its resolved alert raises a new one").isNotEqualTo(id);
            assertThatThrownBy(() -> alerts.resolve(open.get(0).id(), "anna", Verdict.CONFIRMED, "gremlins", null))
                    .hasMessageContaining("gremlins");
        }
    }

}
