package dev.vigil.runtime.demo;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.PacedFrames;
import dev.vigil.sim.Simulation;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The demo's plant: each simulated machine streams its frames in real time, stamped now, as a gateway would, over
 * a WebSocket to Vigil or as MQTT messages to the broker. One thread per machine (the simulator paces it); a send
 * waits for the socket's write or the broker's acknowledgement, so a slow service slows the plant, never piles up.
 */
final class DemoFleet {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);
    private static final int INFLIGHT = 200;
    private final Vertx vertx;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Object> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    DemoFleet(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Starts streaming every machine; returns at once. Each machine's clock starts when the demo does, wherever
     * that falls against its window grid and its motion cycle, as a real machine's would.
     */
    void start(List<DemoMachine> machines, int httpPort, String deviceToken, int mqttPort, double lifeSeconds) {
        for (DemoMachine m : machines) {
            Simulation sim = Simulation.builder(m.spec()).lifeDurationS(lifeSeconds).seed(m.seed())
                    .start(Instant.now()).faults(m.faults()).build();
            Thread t = new Thread(() -> stream(m, sim, httpPort, deviceToken, mqttPort), "demo-" + m.id());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Streams until stopped; a lost connection is opened again after 2 s, as a gateway would. */
    private void stream(DemoMachine m, Simulation sim, int httpPort, String token, int mqttPort) {
        Iterator<Frame> frames = sim.liveFrames(1, PacedFrames.Clock.SYSTEM);
        while (running && frames.hasNext()) {
            try {
                if (m.transport() == DemoMachine.Transport.MQTT) {
                    mqtt(m, frames, mqttPort);
                } else {
                    webSocket(m, frames, httpPort, token);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warn("demo machine {} lost its connection ({}); reconnecting in 2 s", m.id(), e.toString());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void mqtt(DemoMachine m, Iterator<Frame> frames, int mqttPort) throws Exception {
        // QoS 1: at most INFLIGHT messages the broker has not acknowledged yet; the plant waits beyond that
        Semaphore window = new Semaphore(INFLIGHT);
        MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId("demo-gateway-" + m.id())
                .setMaxMessageSize(4 << 20).setAutoKeepAlive(true).setMaxInflightQueue(INFLIGHT));
        clients.add(client);
        try {
            client.publishCompletionHandler(id -> window.release());
            client.publishCompletionExpirationHandler(id -> window.release());
            client.connect(mqttPort, "127.0.0.1").await(10, TimeUnit.SECONDS);
            while (running && frames.hasNext()) {
                Frame f = frames.next();
                window.acquire();
                client.publish("vigil/" + f.machineId() + "/" + f.channel(), Buffer.buffer(FrameCodec.encode(f)),
                        MqttQoS.AT_LEAST_ONCE, false, false).await(30, TimeUnit.SECONDS);
            }
            client.disconnect();
        } finally {
            clients.remove(client);
        }
    }

    private void webSocket(DemoMachine m, Iterator<Frame> frames, int httpPort, String token) throws Exception {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(httpPort)
                .setURI("/api/v1/machines/" + m.id() + "/stream").addHeader("Authorization", "Bearer " + token);
        // held for the whole stream: Vert.x closes a client nothing references any more, sockets and all
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(4 << 20)
                .setMaxMessageSize(8 << 20));
        clients.add(client);
        try {
            WebSocket ws = client.connect(o).await(10, TimeUnit.SECONDS);
            ws.textMessageHandler(text -> {
                if (text.contains("\"error\"")) {
                    LOG.warn("{}: {}", m.id(), text);
                }
            });
            while (running && frames.hasNext()) {
                ws.writeBinaryMessage(Buffer.buffer(FrameCodec.encode(frames.next()))).await(30, TimeUnit.SECONDS);
            }
            ws.close();
            client.close();
        } finally {
            clients.remove(client);
        }
    }

    void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
