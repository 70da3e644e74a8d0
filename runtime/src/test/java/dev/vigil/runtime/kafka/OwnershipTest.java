package dev.vigil.runtime.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class OwnershipTest {
    private static final TopicPartition P0 = new TopicPartition("vigil.frames", 0);
    private static final TopicPartition P1 = new TopicPartition("vigil.frames", 1);

    @Test
    void aMachineIsOwnedWhileItsPartitionIsAssignedHere() {
        Ownership o = new Ownership(Duration.ofMinutes(5));
        o.seen("m1", 0);
        assertThat(o.test("m1")).as("partition not assigned").isFalse();
        o.assigned(List.of(P0, P1));
        assertThat(o.test("m1")).isTrue();
        assertThat(o.scores("m1")).isTrue();
        assertThat(o.test("m2")).as("never seen: nobody knows its partition").isFalse();
        o.revoked(List.of(P0));
        assertThat(o.test("m1")).isFalse();
        assertThat(o.scores("m1")).isFalse();
    }

    @Test
    void aMachineTakenOverIsJudgedFromItsFirstFrameHereOrAfterTheGrace() {
        Ownership o = new Ownership(Duration.ofMinutes(5));
        o.assigned(List.of(P0));
        o.takenOver("m1", 0);
        assertThat(o.scores("m1")).as("scored here").isTrue();
        assertThat(o.test("m1")).as("not judged before a frame of it arrived here").isFalse();
        o.seen("m1", 0);
        assertThat(o.test("m1")).isTrue();

        Ownership quick = new Ownership(Duration.ofMillis(50));
        quick.assigned(List.of(P0));
        quick.takenOver("m2", 0);
        assertThat(quick.test("m2")).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> quick.test("m2"));
    }
}
