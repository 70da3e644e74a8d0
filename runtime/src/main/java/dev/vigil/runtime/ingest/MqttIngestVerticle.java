package dev.vigil.runtime.ingest;

import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.sim.Frame;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes to the plant's MQTT broker for binary frames on {@code vigil/{machine}/{channel}} (QoS 1). Each
 * message payload is one frame (docs/PROTOCOL.md) whose machine and channel must match its topic. Scoring runs
 * on a worker, in order per machine. Flow control is MQTT's own: a message is acknowledged only once it has been
 * scored, so the broker never has more than its in-flight window of unacknowledged messages out to Vigil and
 * keeps the rest (at-least-once: nothing is lost if Vigil stops mid-stream). Refused frames are acknowledged,
 * counted and logged, never redelivered.
 */
public final class MqttIngestVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestVerticle.class);

    private final String brokerHost;
    private final int brokerPort;
    private final String username;
    private final String password;
    private final Map<String, MachineStream> machines;
    private final FrameCodec codec;
    private final FrameScoring scoring;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final MqttTopics topics;
    private MqttClient client;
    private MachineLanes lanes;
    private volatile boolean stopping;

    public MqttIngestVerticle(String brokerHost, int brokerPort, Map<String, MachineStream> machines,
                              int maxSamplesPerFrame, FrameScoring scoring) {
        this(brokerHost, brokerPort, null, null, MqttTopics.DEFAULT, machines, maxSamplesPerFrame, scoring);
    }

    /**
     * @param username user at the broker, or null for an anonymous connection
     * @param topicPattern where frames are published, with {machine} and {channel} levels
     */
    public MqttIngestVerticle(String brokerHost, int brokerPort, String username, String password, String topicPattern,
                              Map<String, MachineStream> machines, int maxSamplesPerFrame, FrameScoring scoring) {
        this.topics = new MqttTopics(topicPattern);
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        this.username = username;
        this.password = password;
        this.machines = Map.copyOf(machines);
        this.codec = new FrameCodec(maxSamplesPerFrame);
        this.scoring = scoring;
        machines.keySet().forEach(m -> inFlight.put(m, new AtomicInteger()));
    }

    @Override
    public Future<?> start() {
        MqttClientOptions options = new MqttClientOptions().setClientId("vigil-ingest")
                .setMaxMessageSize(64 + 4 * codec.maxSamples() + 2 * FrameCodec.MAX_NAME_BYTES);
        options.setAutoAck(false);
        if (username != null) {
            options.setUsername(username).setPassword(password);
        }
        lanes = new MachineLanes(vertx);
        client = MqttClient.create(vertx, options);
        client.publishHandler(this::message);
        client.closeHandler(v -> {
            if (!stopping) {
                LOG.warn("lost the MQTT broker {}:{}; reconnecting", brokerHost, brokerPort);
                reconnect(1000);
            }
        });
        return connect();
    }

    private Future<?> connect() {
        return client.connect(brokerPort, brokerHost)
                .compose(ack -> client.subscribe(topics.subscription(), MqttQoS.AT_LEAST_ONCE.value()));
    }

    /** Retries with a doubling delay up to 30 s, for as long as the verticle runs. */
    private void reconnect(long delayMillis) {
        vertx.setTimer(delayMillis, t -> {
            if (stopping || client.isConnected()) {
                return;
            }
            connect().onSuccess(v -> LOG.info("reconnected to the MQTT broker {}:{}", brokerHost, brokerPort))
                    .onFailure(e -> reconnect(Math.min(30_000, 2 * delayMillis)));
        });
    }

    /** Whether the broker connection is up (readiness). */
    public boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        return client != null && client.isConnected() ? client.disconnect() : Future.succeededFuture();
    }

    /** Frames refused (malformed, wrong topic, unknown machine, not fitting the stream). */
    public long refused() {
        return refused.get();
    }

    private void message(MqttPublishMessage m) {
        String[] topic = topics.parse(m.topicName());
        if (topic == null) {
            refuse(m, "topic '" + m.topicName() + "' does not match " + topics.pattern());
            return;
        }
        MachineStream machine = machines.get(topic[0]);
        if (machine == null) {
            refuse(m, "unknown machine '" + topic[0] + "' on topic " + m.topicName());
            return;
        }
        Frame frame;
        try {
            frame = codec.decode(m.payload().getBytes());
        } catch (FrameException e) {
            refuse(m, m.topicName() + ": " + e.getMessage());
            return;
        }
        if (!frame.machineId().equals(topic[0]) || !frame.channel().equals(topic[1])) {
            refuse(m, m.topicName() + ": frame is for " + frame.machineId() + "/" + frame.channel());
            return;
        }
        AtomicInteger pending = inFlight.get(topic[0]);
        pending.incrementAndGet();
        lanes.submit(topic[0], () -> scoring.score(machine, List.of(frame), "mqtt")).onComplete(ar -> {
            pending.decrementAndGet();
            if (ar.failed()) {
                refuse(m, m.topicName() + ": " + ar.cause().getMessage());
            } else {
                m.ack();
            }
        });
    }

    /** Frames waiting to be scored for a machine (bounded by the broker's in-flight window). */
    public int waiting(String machineId) {
        AtomicInteger n = inFlight.get(machineId);
        return n == null ? 0 : n.get();
    }

    private void refuse(MqttPublishMessage m, String why) {
        refused.incrementAndGet();
        scoring.metrics().refused("mqtt");
        LOG.warn("MQTT frame refused: {}", why);
        m.ack();
    }
}
