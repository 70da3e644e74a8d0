package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.config.MqttSettings;
import dev.vigil.runtime.config.MqttTopics;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * keeps the rest (at-least-once: nothing is lost if Vigil stops mid-stream). The session is persistent under a
 * configured client id, so QoS 1 messages published while Vigil is down wait at the broker and are scored when it
 * returns. Refused frames are acknowledged, counted and logged, never redelivered; a frame that failed for an
 * internal reason (the store could not commit) is not acknowledged: Vigil drops the connection and reconnects, and
 * the broker redelivers it. Device authorisation on MQTT is the broker's ACL (docs/PROTOCOL.md).
 */
public final class MqttIngestVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestVerticle.class);

    private final MqttSettings settings;
    private final String brokerHost;
    private final int brokerPort;
    private final Map<String, MachineStream> machines;
    private final FrameCodec codec;
    private final FrameScoring scoring;
    /** In a cluster, where the frames go instead of being scored here; null on a single box. */
    private final FrameForward forward;
    /** What Vigil subscribes to: the frames' topics, shared among a cluster's instances. */
    private final String subscription;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final MqttTopics topics;
    private MqttClient client;
    private MachineLanes lanes;
    private volatile boolean stopping;
    /** Whether the broker confirmed (SUBACK) the subscription on the current connection. */
    private volatile boolean subscribed;
    /** Completed by the first confirmed subscription, on whichever connection: the deployment waits for it. */
    private final Promise<Void> firstSubscribed = Promise.promise();
    private Promise<Void> suback;
    /** Counts the broker connections: a message carries the number of the one it came on. */
    private final AtomicLong connection = new AtomicLong();
    /**
     * The newest connection on which a frame failed for a reason of Vigil's own. Every later frame of that
     * connection is left unacknowledged and untaken too: the broker redelivers them all, in order, after the one
     * that failed. (Taken, a later frame of the same machine that waited in the lane while the store was locked
     * moved the machine's windows past the failed one, which then came back late: a dropout the data never had.)
     */
    private final AtomicLong abandoned = new AtomicLong(-1);

    public MqttIngestVerticle(MqttSettings settings, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                              FrameScoring scoring) {
        this(settings, machines, maxSamplesPerFrame, scoring, null, null);
    }

    /**
     * The MQTT front of an instance of a cluster: the frames are forwarded to the cluster's frames topic (its owner
     * scores them) and acknowledged once the brokers have them. The subscription is shared
     * ({@code $share/<shareGroup>/...}, MQTT 5 shared subscriptions, which Mosquitto 2, EMQX and HiveMQ give
     * MQTT 3.1.1 clients too): the plant's broker hands each frame to one of the instances, not to every one.
     */
    public MqttIngestVerticle(MqttSettings settings, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                              FrameScoring scoring, FrameForward forward, String shareGroup) {
        this.forward = forward;
        this.settings = settings;
        this.topics = new MqttTopics(settings.topic());
        this.subscription = shareGroup == null ? topics.subscription()
                : "$share/" + shareGroup + "/" + topics.subscription();
        this.brokerHost = settings.host();
        this.brokerPort = settings.port();
        this.machines = Map.copyOf(machines);
        this.codec = new FrameCodec(maxSamplesPerFrame);
        this.scoring = scoring;
        machines.keySet().forEach(m -> inFlight.put(m, new AtomicInteger()));
    }

    @Override
    public Future<?> start() {
        MqttClientOptions options = new MqttClientOptions().setClientId(settings.clientId())
                .setCleanSession(!settings.persistentSession())
                .setMaxMessageSize((int) Math.min(Integer.MAX_VALUE, codec.maxFrameBytes()));
        options.setAutoAck(false);
        if (settings.username() != null) {
            options.setUsername(settings.username()).setPassword(settings.password());
        }
        MqttSettings.Tls tls = settings.tls();
        if (tls != null) {
            options.setSsl(true).setHostnameVerificationAlgorithm(tls.verifyHost() ? "HTTPS" : "");
            if (tls.ca() != null) {
                options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(tls.ca().toString()));
            }
            if (tls.cert() != null) {
                options.setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(tls.cert().toString())
                        .setKeyPath(tls.key().toString()));
            } else if (tls.keyStore() != null) {
                options.setKeyCertOptions(new io.vertx.core.net.PfxOptions().setPath(tls.keyStore().toString())
                        .setPassword(tls.keyStorePassword()));
            }
        }
        lanes = new MachineLanes(vertx, false);
        client = MqttClient.create(vertx, options);
        client.publishHandler(this::message);
        client.subscribeCompletionHandler(ack -> {
            Promise<Void> p = suback;
            if (ack.grantedQoSLevels().stream().anyMatch(q -> q == 0x80)) {
                IllegalStateException refused = new IllegalStateException("the broker refused the subscription to "
                        + subscription + " (check its ACL for Vigil's user" + (forward == null ? ")"
                        : "; an instance of a cluster needs shared subscriptions, MQTT 5's $share)"));
                firstSubscribed.tryFail(refused);
                if (p != null) {
                    p.tryFail(refused);
                }
                return;
            }
            subscribed = true;
            firstSubscribed.tryComplete();
            if (p != null) {
                p.tryComplete();
            }
        });
        client.closeHandler(v -> {
            connection.incrementAndGet();
            subscribed = false;
            Promise<Void> p = suback;
            if (p != null) {
                p.tryFail(new IllegalStateException("the connection closed before the broker confirmed the subscription"));
            }
            if (!stopping) {
                LOG.warn("lost the MQTT broker {}:{}; reconnecting", brokerHost, brokerPort);
                reconnect(1000);
            }
        });
        // a first connection that fails fails the deployment (a wrong address or password: the close handler must
        // not retry for a verticle that never started). Once connected, the deployment waits for the broker to
        // confirm the subscription, on this connection or, when the broker drops it first, on the next one: what a
        // gateway publishes from then on reaches Vigil (before, a subscription sent on a connection the broker had
        // just closed was lost, and frames published until the reconnection went nowhere)
        return client.connect(brokerPort, brokerHost).onFailure(e -> stopping = true)
                .compose(ack -> {
                    subscribe().onFailure(e -> LOG.warn("MQTT subscription: {}", e.getMessage()));
                    return firstSubscribed.future();
                });
    }

    private Future<?> connect() {
        return client.connect(brokerPort, brokerHost).compose(ack -> subscribe());
    }

    /** Subscribes; completes when the broker confirms (SUBACK), fails when it refuses or the connection closes. */
    private Future<Void> subscribe() {
        Promise<Void> p = Promise.promise();
        suback = p;
        client.subscribe(subscription, MqttQoS.AT_LEAST_ONCE.value()).onFailure(p::tryFail);
        return p.future();
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

    /** Whether the broker connection is up and its subscription confirmed (readiness). */
    public boolean connected() {
        return client != null && client.isConnected() && subscribed;
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
        long on = connection.get();
        lanes.submit(topic[0], () -> {
            if (abandoned.get() >= on) {
                throw new Abandoned();
            }
            try {
                if (forward != null) {
                    forward.forward(machine.machineId(), List.of(frame));
                    return List.of();
                }
                return scoring.score(machine, List.of(frame), "mqtt");
            } catch (FrameException e) {
                throw e;
            } catch (Exception e) {
                abandoned.accumulateAndGet(on, Math::max);
                throw e;
            }
        }).onComplete(ar -> {
            pending.decrementAndGet();
            if (ar.succeeded()) {
                m.ack();
            } else if (ar.cause() instanceof Abandoned) {
                LOG.debug("MQTT frame on {} left for redelivery after an earlier frame failed", m.topicName());
            } else if (ar.cause() instanceof FrameException) {
                refuse(m, m.topicName() + ": " + ar.cause().getMessage());
            } else {
                redeliver(m, ar.cause());
            }
        });
    }

    /** A frame of a connection on which an earlier frame failed: left for the broker to deliver again. */
    private static final class Abandoned extends Exception {
        Abandoned() {
            super("an earlier frame on this connection failed", null, false, false);
        }
    }

    /** Frames waiting to be scored for a machine (bounded by the broker's in-flight window). */
    public int waiting(String machineId) {
        AtomicInteger n = inFlight.get(machineId);
        return n == null ? 0 : n.get();
    }

    /**
     * The frame could not be scored for a reason of Vigil's own: no acknowledgement, and a new connection, on which
     * the broker redelivers every unacknowledged QoS 1 message of the persistent session (MQTT redelivers only on
     * reconnect). Frames redelivered after they were scored overwrite themselves.
     */
    private void redeliver(MqttPublishMessage m, Throwable cause) {
        scoring.metrics().refused("mqtt-internal");
        LOG.error("MQTT frame on {} not scored ({}); not acknowledged, reconnecting for redelivery", m.topicName(),
                cause.toString());
        if (client.isConnected()) {
            client.disconnect(); // the close handler reconnects
        }
    }

    private void refuse(MqttPublishMessage m, String why) {
        refused.incrementAndGet();
        scoring.metrics().refused("mqtt");
        LOG.warn("MQTT frame refused: {}", why);
        m.ack();
    }
}
