package dev.vigil.runtime.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PipelineTest {
    private static final TopicPartition P0 = new TopicPartition("vigil.frames", 0);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aMachinesStepsRunInOrderAndASlowMachineHoldsBackOnlyTheOffsetsBelowIt() throws Exception {
        Pipeline p = new Pipeline(pool);
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch slow = new CountDownLatch(1);
        // offset 0: machine a, blocked; offsets 1..50: machine b; offsets 51..: a again
        p.submit("a", P0, 0, () -> {
            slow.await(10, TimeUnit.SECONDS);
            order.add(0L);
        });
        for (long o = 1; o <= 50; o++) {
            long offset = o;
            p.submit("b", P0, o, () -> order.add(offset));
        }
        for (long o = 51; o <= 60; o++) {
            long offset = o;
            p.submit("a", P0, o, () -> order.add(offset));
        }
        p.passed(P0, 61);
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 50);
        assertThat(order).as("b was not held back by a").containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(p.committable(Map.of())).as("nothing past a's first frame").containsEntry(P0, 0L);
        assertThat(p.inFlight()).isEqualTo(11);
        slow.countDown();
        assertThat(p.awaitDone(List.of(P0), Duration.ofSeconds(5))).isTrue();
        assertThat(order.subList(50, 61)).as("a's frames in their order")
                .containsExactlyElementsOf(java.util.stream.LongStream.concat(java.util.stream.LongStream.of(0),
                        java.util.stream.LongStream.rangeClosed(51, 60)).boxed().toList());
        assertThat(p.committable(Map.of())).containsEntry(P0, 62L);
        assertThat(p.committable(Map.of(P0, 62L))).as("unchanged since the last commit").isEmpty();
    }

    @Test
    void aFailedFrameIsReadAgainAndItsMachineTakesNothingBeforeIt() throws Exception {
        Pipeline p = new Pipeline(pool);
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Integer> tries = new HashMap<>();
        Pipeline.Step failOnce = () -> {
            synchronized (tries) {
                if (tries.merge(5L, 1, Integer::sum) == 1) {
                    throw new java.sql.SQLException("database is locked");
                }
            }
            done.add("a5");
        };
        p.submit("a", P0, 4, () -> done.add("a4"));
        p.submit("a", P0, 5, failOnce);
        p.submit("a", P0, 6, () -> done.add("a6"));
        p.submit("b", P0, 7, () -> done.add("b7"));
        assertThat(p.awaitDone(List.of(P0), Duration.ofSeconds(5))).isTrue();
        assertThat(done).as("a6 not before a5").containsExactlyInAnyOrder("a4", "b7");
        assertThat(p.committable(Map.of())).as("not past the failed frame").containsEntry(P0, 5L);
        assertThat(p.retries(Duration.ofHours(1))).as("not before the pause").isEmpty();
        Map<TopicPartition, Long> again = p.retries(Duration.ZERO);
        assertThat(again).containsExactly(Map.entry(P0, 5L));
        // the consumer reads the partition again from 5: a's frames come again, b's as a repeat
        p.submit("a", P0, 5, failOnce);
        p.submit("a", P0, 6, () -> done.add("a6"));
        p.submit("b", P0, 7, () -> done.add("b7 again"));
        assertThat(p.awaitDone(List.of(P0), Duration.ofSeconds(5))).isTrue();
        assertThat(done).containsSubsequence("a4", "a5", "a6");
        assertThat(p.committable(Map.of())).containsEntry(P0, 8L);
    }
}
