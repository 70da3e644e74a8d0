package dev.vigil.runtime.kafka;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A machine that moves to another instance goes silent on the one it left: that instance must not call it stale
 * (a sensor alert and an offline availability for a machine that is streaming fine elsewhere). Four machines stream
 * live; one instance scores them all, a second joins and takes a share; neither calls anything stale, and each
 * lists the whole fleet streaming (the other's machines from the availability topic).
 */
@Tag("slow")
class KafkaOwnershipTest {
    private static final List<String> MACHINES = IntStream.range(0, 4).mapToObj(i -> "cnc-o" + i).toList();
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();
    @TempDir
    static Path tmp;

    private static Path config(String instance) throws Exception {
        return Instances.config(tmp, kafka.bootstrap(), "ownership", 8, instance, MACHINES, "alerts: {staleAfterSeconds: 2}\n");
    }

    @Test
    void anInstanceDoesNotCallTheMachinesItHandedOverStale() throws Exception {
        AtomicBoolean streaming = new AtomicBoolean(true);
        Thread gateways = new Thread(() -> stream(streaming), "gateways");
        try (TestServer a = TestServer.start(config("vigil-a"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            gateways.start();
            Api apiA = a.api(null);
            await().atMost(Duration.ofMinutes(1)).until(() -> MACHINES.stream().allMatch(m -> Instances.windows(apiA, m) > 2));
            try (TestServer b = TestServer.start(config("vigil-b"))) {
                Api apiB = b.api(null);
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    var group = admin.describeConsumerGroups(List.of("ownership")).all().get(30, TimeUnit.SECONDS)
                            .get("ownership");
                    return group.members().size() == 2 && group.members().stream()
                            .allMatch(m -> Instances.frames(m.assignment()) == 4);
                });
                // b scores what it was given, a what it kept: every machine keeps being scored by one of them
                await().atMost(Duration.ofMinutes(1)).until(() -> MACHINES.stream().mapToLong(m -> Instances.windows(apiB, m))
                        .sum() > 0);
                // for well past the stale limit (2 s) and several watchdog rounds, neither calls a machine stale
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            for (Api api : List.of(apiA, apiB)) {
                                JsonArray open = new JsonObject(api.get("/api/v1/alerts").body()).getJsonArray("alerts");
                                assertThat(open.stream().map(o -> ((JsonObject) o).getString("fault")).toList())
                                        .as("open alerts on %s: %s", api.base(), open)
                                        .doesNotContain("stale", "refusing-data");
                            }
                        });
                // either instance lists the whole fleet streaming (available, or degraded should the model call a
                // window odd; never offline): its own machines as it judges them, the others as their owner
                // announced them on the availability topic
                for (Api api : List.of(apiA, apiB)) {
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        JsonArray fleet = new JsonObject(api.get("/api/v1/availability").body()).getJsonArray("machines");
                        assertThat(fleet.stream().map(o -> (JsonObject) o)
                                .filter(o -> !"offline".equals(o.getString("status"))).map(o -> o.getString("machine"))
                                .toList()).as("streaming on %s: %s", api.base(), fleet).containsExactlyInAnyOrderElementsOf(MACHINES);
                    });
                }
                // each machine is scored here on exactly one of them; the other says it is scored elsewhere
                for (String m : MACHINES) {
                    long scoringIt = List.of(apiA, apiB).stream().filter(api -> {
                        try {
                            return new JsonObject(api.get("/api/v1/machines/" + m).body()).getBoolean("scoredHere", true);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }).count();
                    assertThat(scoringIt).as("instances that say they score %s", m).isEqualTo(1);
                }
                long before = MACHINES.stream().mapToLong(m -> Instances.windows(apiA, m) + Instances.windows(apiB, m)).sum();
                await().atMost(Duration.ofSeconds(30)).until(() -> MACHINES.stream()
                        .mapToLong(m -> Instances.windows(apiA, m) + Instances.windows(apiB, m)).sum() >= before + MACHINES.size());
            }
        } finally {
            streaming.set(false);
            gateways.join(10_000);
        }
    }

    /** Every machine's frames, a second of them each second, stamped now, until told to stop. */
    private static void stream(AtomicBoolean streaming) {
        long start = (System.currentTimeMillis() / 1000 - 2) * 1_000_000_000L;
        List<List<Frame>> frames = new ArrayList<>();
        for (String m : MACHINES) {
            // the spindle the shared model was trained on, streamed under each machine's id
            frames.add(SecondFrames.live(m, Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(150)
                    .seed(3 + frames.size()).build(), start));
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            for (int second = 0; streaming.get() && second < 150; second++) {
                long due = start / 1_000_000 + (second + 1) * 1000L;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                for (int k = 0; k < MACHINES.size(); k++) {
                    long from = start + second * 1_000_000_000L;
                    for (Frame f : frames.get(k)) {
                        if (f.startNanos() >= from && f.startNanos() < from + 1_000_000_000L) {
                            producer.send(new ProducerRecord<>("vigil.frames", MACHINES.get(k), FrameCodec.encode(f)));
                        }
                    }
                }
                producer.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
