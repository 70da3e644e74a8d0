package dev.vigil.runtime.ingest;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestBroker;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.AlertService;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.config.MqttSettings;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.store.EventStore;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.moquette.broker.Server;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A simulated spindle publishes frames to a real MQTT broker (Moquette, in-process); Vigil subscribes and scores. */
@Tag("slow")
class MqttIngestTest {
    @TempDir
    static Path tmp;
    static Server broker;
    static int port;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(TestBroker.settings(tmp.resolve("broker"), 0));
        port = broker.getPort();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        broker.stopServer();
    }

    @Test
    void framesPublishedToTheBrokerAreScoredAndRefusedOnesAreCounted() throws Exception {
        CncSpec spec = CncSpec.defaults("cnc-m");
        MachineStream machine = new MachineStream("cnc-m", Bundle.read(TestModels.cnc(spec, 61, 62)).model(), 0.2);
        EventStore store = EventStore.open(tmp.resolve("vigil.db"));
        AlertService alerts = new AlertService(store.alerts(), Clock.systemUTC(), 3, Duration.ofMinutes(30),
                AlertService.NO_WEBHOOKS, e -> { });
        MqttIngestVerticle ingest = new MqttIngestVerticle(MqttSettings.plain("127.0.0.1", port, "vigil-mqtt-ingest-test"), Map.of("cnc-m", machine), 1 << 20,
                new FrameScoring(alerts, null, null, Clock.systemUTC(), DataClock.unbounded(), Metrics.create()));
        vertx.deployVerticle(ingest).await(10, TimeUnit.SECONDS);

        MqttClient plant = MqttClient.create(vertx, new MqttClientOptions().setClientId("plant-gateway")
                .setMaxMessageSize(4 << 20).setMaxInflightQueue(100_000));
        plant.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
        plant.publish("vigil/cnc-m/accel_x", Buffer.buffer("garbage"), MqttQoS.AT_LEAST_ONCE, false, false)
                .await(10, TimeUnit.SECONDS);
        double life = 8 * 3600;
        Simulation sim = Simulation.builder(spec).lifeDurationS(life).speedup(life / 200).seed(63)
                .fault(new FaultSpec(FaultType.LOOSENESS, life / 4, 3 * life / 4, Progression.EXPONENTIAL, 1, null, 0))
                .build();
        Iterator<Frame> frames = sim.frames();
        while (frames.hasNext()) {
            Frame f = frames.next();
            // a gateway publishes what it measured; QoS 1: the broker acknowledges each message
            plant.publish("vigil/" + f.machineId() + "/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)),
                    MqttQoS.AT_LEAST_ONCE, false, false).await(10, TimeUnit.SECONDS);
        }
        // wait while scoring makes progress (a slow machine is slow, not wrong); give up after 30 s without any.
        // A window is counted on the scoring worker before its message is acknowledged on the event loop, so
        // "199 windows" alone does not mean "nothing waiting": wait for both (progress = either one moving).
        long lastProgress = System.nanoTime();
        long seen = -1;
        int seenWaiting = -1;
        while ((machine.windows() < 199 || ingest.waiting("cnc-m") > 0)
                && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(30)) {
            vertx.timer(100).await(5, TimeUnit.SECONDS);
            if (machine.windows() != seen || ingest.waiting("cnc-m") != seenWaiting) {
                seen = machine.windows();
                seenWaiting = ingest.waiting("cnc-m");
                lastProgress = System.nanoTime();
            }
        }
        assertThat(ingest.refused()).as("the garbage message").isEqualTo(1);
        assertThat(machine.windows()).as("nothing dropped: every 0.1 s frame of 200 s arrived").isEqualTo(199);
        assertThat(ingest.waiting("cnc-m")).isZero();
        // the spindle stops between operations (looseness is invisible at standstill), so look at the stored alerts
        List<Alert> raised = store.alerts().list("cnc-m", false);
        assertThat(raised).isNotEmpty();
        assertThat(raised).allSatisfy(a -> {
            assertThat(a.category()).isEqualTo(Category.MACHINE);
            assertThat(a.fault()).isEqualTo("looseness");
        });
        store.close();
        plant.disconnect().await(10, TimeUnit.SECONDS);
    }

    @Test
    void framesPublishedWhileVigilIsDownAreScoredWhenItReturns() throws Exception {
        MachineStream machine = new MachineStream("spindle-7", Bundle.read(TestModels.cnc("spindle-7"))
                .model(), 0.2);
        MqttSettings settings = MqttSettings.plain("127.0.0.1", port, "vigil-edge-1");
        // Vigil subscribes once (the broker now holds a persistent session for its client id), then stops
        MqttIngestVerticle first = new MqttIngestVerticle(settings, Map.of("spindle-7", machine), 1 << 20,
                FrameScoring.scoreOnly());
        String deployment = vertx.deployVerticle(first).await(10, TimeUnit.SECONDS);
        vertx.undeploy(deployment).await(10, TimeUnit.SECONDS);

        MqttClient plant = MqttClient.create(vertx, new MqttClientOptions().setClientId("gateway-7").setMaxInflightQueue(100_000)
                .setMaxMessageSize(4 << 20));
        // publish() completes when a message is written, PUBACK when the broker has it: a gateway that disconnects
        // before its PUBACKs loses what was in flight (clean session), so the test waits for them
        java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
        plant.publishCompletionHandler(id -> acked.incrementAndGet());
        plant.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
        List<Frame> frames = SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-7"))
                .lifeDurationS(8).seed(64).build());
        int whileDown = frames.size() / 2;
        for (Frame f : frames.subList(0, whileDown)) {
            plant.publish("vigil/spindle-7/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)), MqttQoS.AT_LEAST_ONCE,
                    false, false).await(10, TimeUnit.SECONDS);
        }
        assertThat(machine.windows()).as("nothing scored while Vigil was down").isZero();

        // back under the same client id: the broker delivers what was published meanwhile, and the gateway, which
        // never stopped, goes on publishing
        FrameScoring scoring = FrameScoring.scoreOnly();
        MqttIngestVerticle again = new MqttIngestVerticle(settings, Map.of("spindle-7", machine), 1 << 20, scoring);
        vertx.deployVerticle(again).await(10, TimeUnit.SECONDS);
        for (Frame f : frames.subList(whileDown, frames.size())) {
            plant.publish("vigil/spindle-7/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)), MqttQoS.AT_LEAST_ONCE,
                    false, false).await(10, TimeUnit.SECONDS);
        }
        int total = frames.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.get() == total);
        plant.disconnect().await(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(scoring.metrics().meters().get("vigil.frames").counter().count()).isEqualTo(total));
        // every frame arrived, those published while Vigil was down among them; a broker may hand queued and new
        // messages over out of order, and a frame later than the tolerance after its window was scored is refused
        // as late (counted): at-least-once delivery, not loss
        assertThat(machine.windows()).as("windows of the eight seconds").isGreaterThanOrEqualTo(4);
        assertThat(again.refused()).isLessThan(total / 4);
    }
}
