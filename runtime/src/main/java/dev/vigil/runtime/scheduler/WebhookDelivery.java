package dev.vigil.runtime.scheduler;

import dev.vigil.runtime.config.WebhookEndpoint;
import dev.vigil.runtime.store.Outbox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers the outbox to the scheduler endpoints: each tick, for every endpoint, the oldest pending message of
 * each machine that is due is POSTed (CloudEvents structured JSON, signed); 2xx marks it delivered and lets the
 * machine's next message go, anything else retries with exponential back-off and jitter (1 s doubling to 5 min),
 * and a message older than {@code deadAfter} is marked dead (visible in the API and metrics), which unblocks the
 * machine's later messages. At-least-once: a crash between sending and marking resends; receivers de-duplicate
 * by the event id.
 */
public final class WebhookDelivery extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    private final Outbox outbox;
    private final List<WebhookEndpoint> endpoints;
    private final Clock clock;
    private final Duration deadAfter;
    private final long tickMillis;
    private final Map<Long, Boolean> inFlight = new ConcurrentHashMap<>();
    private HttpClient client;
    private boolean busy;

    public WebhookDelivery(Outbox outbox, List<WebhookEndpoint> endpoints, Clock clock, Duration deadAfter,
                           long tickMillis) {
        this.outbox = outbox;
        this.endpoints = List.copyOf(endpoints);
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.tickMillis = tickMillis;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setIdleTimeout(30)
                .setTrustAll(false));
        vertx.setPeriodic(tickMillis, t -> tick());
        return Future.succeededFuture();
    }

    private void tick() {
        if (busy) {
            return;
        }
        busy = true;
        vertx.executeBlocking(() -> {
            Map<WebhookEndpoint, List<Outbox.Entry>> due = new LinkedHashMap<>();
            for (WebhookEndpoint e : endpoints) {
                due.put(e, outbox.due(e.name(), clock.instant()));
            }
            return due;
        }, false).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                LOG.warn("reading the outbox failed: {}", ar.cause().toString());
                return;
            }
            ar.result().forEach((endpoint, entries) -> entries.forEach(e -> send(endpoint, e)));
        });
    }

    private void send(WebhookEndpoint endpoint, Outbox.Entry e) {
        if (inFlight.putIfAbsent(e.id(), true) != null) {
            return;
        }
        byte[] body = e.body().getBytes(StandardCharsets.UTF_8);
        long ts = clock.instant().getEpochSecond();
        int port = endpoint.url().getPort() > 0 ? endpoint.url().getPort()
                : "https".equals(endpoint.url().getScheme()) ? 443 : 80;
        String path = endpoint.url().getRawPath() == null || endpoint.url().getRawPath().isEmpty() ? "/"
                : endpoint.url().getRawPath();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.url().getHost())
                .setPort(port).setURI(path).setSsl("https".equals(endpoint.url().getScheme())).setTimeout(10_000)
                .putHeader("content-type", "application/cloudevents+json; charset=utf-8")
                .putHeader(Signature.TIMESTAMP_HEADER, String.valueOf(ts))
                .putHeader(Signature.SIGNATURE_HEADER, Signature.sign(endpoint.secret(), ts, body));
        client.request(options).compose(req -> req.send(Buffer.buffer(body)))
                .compose(res -> res.body().map(b -> res.statusCode()))
                .onComplete(ar -> {
                    int status = ar.succeeded() ? ar.result() : 0;
                    String error = ar.succeeded() ? "HTTP " + status : ar.cause().toString();
                    vertx.executeBlocking(() -> {
                        Instant now = clock.instant();
                        if (status >= 200 && status < 300) {
                            outbox.delivered(e.id(), now);
                        } else {
                            boolean dead = !e.createdAt().plus(deadAfter).isAfter(now);
                            long backoff = Math.min(300_000L, 1000L << Math.min(20, e.attempts()));
                            long jittered = (long) (backoff * ThreadLocalRandom.current().nextDouble(0.5, 1.5));
                            outbox.failed(e.id(), error, now.plusMillis(jittered), dead);
                            if (dead) {
                                LOG.error("webhook {} to {} is dead after {} attempts: {}", e.eventId(), endpoint.name(),
                                        e.attempts() + 1, error);
                            }
                        }
                        return null;
                    }, false).onComplete(done -> inFlight.remove(e.id()));
                });
    }
}
