package dev.vigil.runtime.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lanes on a real Vert.x: a machine's work runs in the order it came, one piece at a time, what waited behind a
 * busy lane runs as one batch, a failure is the failing piece's answer alone, and another machine's lane does not
 * wait for a busy one. Answers arrive on the event loop that submitted the work.
 */
class MachineLanesTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void orderPerMachineBatchesWhileBusyFailuresStayApartOtherMachinesGoOn() throws Exception {
        Context loop = vertx.getOrCreateContext();
        MachineLanes lanes = new MachineLanes(vertx, true);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> a = new ArrayList<>();
        List<Boolean> onLoop = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Future<String>> b = new CompletableFuture<>();
        CompletableFuture<Void> submitted = new CompletableFuture<>();
        loop.runOnContext(v -> {
            // machine a: the first piece holds its lane; 50 more wait behind it, one of them fails
            a.add(lanes.submit("a", () -> {
                release.await(10, TimeUnit.SECONDS);
                ran.add(0);
                return 0;
            }));
            for (int i = 1; i <= 50; i++) {
                int k = i;
                a.add(lanes.submit("a", () -> {
                    ran.add(k);
                    threads.add(Thread.currentThread().getName());
                    if (k == 20) {
                        throw new IllegalStateException("piece 20 fails");
                    }
                    return k;
                }));
            }
            a.forEach(f -> f.onComplete(ar -> onLoop.add(Context.isOnEventLoopThread())));
            // machine b is not held up by a's busy lane
            b.complete(lanes.submit("b", () -> "b done"));
            submitted.complete(null);
        });
        submitted.get(10, TimeUnit.SECONDS);
        assertThat(b.get(10, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isEqualTo("b done");
        assertThat(a.get(0).isComplete()).as("a's first piece is still held").isFalse();
        release.countDown();

        List<Object> answers = new ArrayList<>();
        for (Future<Integer> f : a) {
            answers.add(f.toCompletionStage().toCompletableFuture().handle((r, e) -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                return cause != null ? "failed: " + cause.getMessage() : r;
            }).get(10, TimeUnit.SECONDS));
        }
        List<Object> expected = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            expected.add(i == 20 ? "failed: piece 20 fails" : i);
            order.add(i);
        }
        assertThat(answers).isEqualTo(expected);
        assertThat(ran).as("a's pieces ran in the order they came").isEqualTo(order);
        assertThat(onLoop).as("answers on the event loop").hasSize(51).containsOnly(true);
        // the 50 that waited ran as one batch: on one worker thread, one after the other
        assertThat(threads).hasSize(50);
        assertThat(threads.stream().distinct()).hasSize(1);
    }

    @Test
    void pieceByPieceEachAnswerComesBeforeTheNextPieceRuns() throws Exception {
        Context loop = vertx.getOrCreateContext();
        MachineLanes lanes = new MachineLanes(vertx, false);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> last = new CompletableFuture<>();
        loop.runOnContext(v -> {
            for (int i = 0; i < 20; i++) {
                int k = i;
                lanes.submit("a", () -> {
                    events.add("ran " + k);
                    return k;
                }).onComplete(ar -> {
                    events.add("answered " + k);
                    if (k == 19) {
                        last.complete(null);
                    }
                });
            }
        });
        last.get(10, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("ran " + i);
            expected.add("answered " + i);
        }
        assertThat(events).isEqualTo(expected);
    }
}
