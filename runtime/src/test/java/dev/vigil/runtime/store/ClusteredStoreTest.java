package dev.vigil.runtime.store;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertEvent;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.alert.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store of an instance of a cluster: alert ids from the cluster's blocks, webhook messages held until the
 * machine's state is handed on, and a machine's alerts taken over with their ids and histories.
 */
class ClusteredStoreTest {
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
    @TempDir
    Path dir;

    private static Alert raised(String machine) {
        return Alert.open(machine, Category.MACHINE, "bearing-outer", Severity.WARNING, T, T, 5.0, 3.0, 6.0, "{}");
    }

    private static List<OutboxMessage> messages(Alert a) {
        return List.of(new OutboxMessage("plant", a.machineId(), "e-" + a.id() + "-" + a.lastSeen(), "alert", "{}"));
    }

    @Test
    void newAlertsTakeTheClustersIdsAndTheirMessagesWaitUntilReleased() throws Exception {
        AtomicLong ids = new AtomicLong(5L << 29);
        try (EventStore store = EventStore.openClustered(dir.resolve("a.db"), ids::incrementAndGet)) {
            Alert first = store.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m1")), T,
                    ClusteredStoreTest::messages);
            Alert second = store.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m2")), T,
                    ClusteredStoreTest::messages);
            assertThat(first.id()).isEqualTo((5L << 29) + 1);
            assertThat(second.id()).isEqualTo((5L << 29) + 2);
            store.alerts().save(new AlertEvent(AlertEvent.Type.CLEARED, first.cleared(T, T.plusSeconds(5), 1, 3, 6)),
                    T.plusSeconds(5), ClusteredStoreTest::messages);

            assertThat(store.outbox().due("plant", T.plusSeconds(60))).as("held messages are not delivered").isEmpty();
            Map<String, Long> held = store.outbox().held();
            assertThat(held).containsOnlyKeys("m1", "m2");
            assertThat(store.outbox().release("m1", held.get("m1"))).isEqualTo(2);
            assertThat(store.outbox().due("plant", T.plusSeconds(60))).extracting(Outbox.Entry::machineId)
                    .containsExactly("m1");
            assertThat(store.outbox().held()).containsOnlyKeys("m2");
            assertThat(store.outbox().dropHeld()).isEqualTo(1);
            assertThat(store.outbox().held()).isEmpty();
            assertThat(store.outbox().counts()).containsEntry("plant/pending", 2L).doesNotContainKey("plant/held");

            // a machine taken over brings its last owner's undelivered messages: known event ids are skipped
            List<OutboxMessage> handed = List.of(new OutboxMessage("plant", "m3", "x-1", "alert", "{}"),
                    new OutboxMessage("plant", "m3", "x-2", "alert", "{}"));
            assertThat(store.outbox().takeOn(handed, T)).isEqualTo(2);
            assertThat(store.outbox().takeOn(handed, T)).isZero();
            assertThat(store.outbox().undelivered("m3", 10)).isEqualTo(handed);
            assertThat(store.outbox().due("plant", T.plusSeconds(60))).extracting(Outbox.Entry::eventId)
                    .as("delivered from here, oldest first, without waiting").contains("x-1");
        }
        try (EventStore single = EventStore.open(dir.resolve("b.db"))) {
            Alert a = single.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m1")), T,
                    ClusteredStoreTest::messages);
            assertThat(a.id()).as("a single box numbers its alerts itself").isEqualTo(1);
            assertThat(single.outbox().held()).as("and holds nothing").isEmpty();
            assertThat(single.outbox().due("plant", T)).hasSize(1);
        }
    }

    @Test
    void aMachinesAlertsAreTakenOverWithTheirIdsAndHistoriesAndStaleOpenOnesClosed() throws Exception {
        AtomicLong idsA = new AtomicLong(7L << 29);
        AtomicLong idsB = new AtomicLong(3L << 29);
        try (EventStore a = EventStore.openClustered(dir.resolve("a.db"), idsA::incrementAndGet);
             EventStore b = EventStore.openClustered(dir.resolve("b.db"), idsB::incrementAndGet)) {
            // b owned m1 once and kept an alert a has since resolved; a has one open and acknowledged
            Alert old = b.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m1")), T, x -> List.of());
            Alert other = b.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m2")), T, x -> List.of());
            Alert open = a.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m1")), T.plusSeconds(60),
                    x -> List.of());
            a.alerts().acknowledge(open.id(), "eve", T.plusSeconds(90));
            a.alerts().comment(open.id(), "eve", "checking the spindle", T.plusSeconds(95));
            Alert closed = a.alerts().save(new AlertEvent(AlertEvent.Type.RAISED, raised("m1")), T.plusSeconds(10),
                    x -> List.of());
            a.alerts().resolve(closed.id(), "eve", Verdict.FALSE_ALARM, null, "coolant pump", T.plusSeconds(20));

            List<Alert> handed = a.alerts().list("m1", false);
            Map<Long, List<HistoryEntry>> histories = Map.of(open.id(), a.alerts().history(open.id()),
                    closed.id(), a.alerts().history(closed.id()));
            b.alerts().adopt("m1", handed, histories, T.plusSeconds(120));

            for (Alert x : handed) {
                assertThat(b.alerts().get(x.id())).as("alert %d taken over with its id", x.id()).hasValue(x);
            }
            Alert taken = b.alerts().get(open.id()).orElseThrow();
            assertThat(taken).isEqualTo(a.alerts().get(open.id()).orElseThrow());
            assertThat(b.alerts().history(open.id())).isEqualTo(a.alerts().history(open.id()))
                    .extracting(HistoryEntry::event).containsExactly("raised", "acknowledged", "commented");
            assertThat(b.alerts().get(closed.id()).orElseThrow().handling().verdict()).isEqualTo(Verdict.FALSE_ALARM);
            assertThat(b.alerts().list("m1", true)).as("the cluster's open alert only").extracting(Alert::id)
                    .containsExactly(open.id());
            Alert stale = b.alerts().get(old.id()).orElseThrow();
            assertThat(stale.open()).as("what b kept open of m1 is closed").isFalse();
            assertThat(b.alerts().history(old.id())).last().extracting(HistoryEntry::detail).asString()
                    .contains("no longer has it open");
            assertThat(b.alerts().get(other.id()).orElseThrow().open()).as("other machines untouched").isTrue();

            // taken over again later: the same rows replaced, histories not doubled
            b.alerts().adopt("m1", handed, histories, T.plusSeconds(180));
            assertThat(b.alerts().history(open.id())).hasSize(3);
            assertThat(b.outbox().held()).as("taking over announces nothing").isEmpty();
        }
    }
}
