package dev.vigil.runtime.scheduler;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The example integration (docs/SCHEDULER.md): a scheduler that receives Vigil's webhooks, rejects bad
 * signatures and stale timestamps (401), ignores events it has already seen (same id: 200, no effect), keeps
 * its own set of excluded machines (every status but available excludes), books jobs onto machines that will
 * last them ({@code POST /bookings}), and logs each decision. Its state is at {@code GET /state}; {@link #setDown}
 * makes it answer 503 (a scheduler that is down).
 */
public final class ReferenceScheduler extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceScheduler.class);
    private final String secret;
    private final int port;
    /** Event ids already taken: a replay older than the signature's 5 minutes is refused anyway, so the newest suffice. */
    private final Set<String> seen = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            }));
    private static final int MAX_REMEMBERED = 100_000;
    /** A webhook is one small CloudEvent; anything larger is not one. */
    private static final long MAX_BODY = 64 * 1024;
    private final Set<String> excluded = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Map<String, List<String>> perMachine = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> rejected = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean down;
    private volatile long delayMillis;
    private final Map<String, JsonObject> latest = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<JsonObject> bookings = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;
    private volatile String confirmBase;
    private volatile String confirmToken;
    private io.vertx.core.http.HttpClient confirmClient;
    private final String host;

    /** Listening on 127.0.0.1 only. */
    public ReferenceScheduler(String secret, int port) {
        this(secret, "127.0.0.1", port);
    }

    public ReferenceScheduler(String secret, String host, int port) {
        this.secret = secret;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/state")) {
                req.response().putHeader("content-type", "application/json").end(state().encode());
                return;
            }
            if (req.path().equals("/bookings")) {
                req.body().onSuccess(b -> book(req, b.length() == 0 ? new JsonObject() : b.toJsonObject()));
                return;
            }
            String declared = req.getHeader("content-length");
            if (declared == null || !declared.matches("\\d{1,18}") || Long.parseLong(declared) > MAX_BODY) {
                // unknown or too large: never read into memory
                req.response().setStatusCode(declared == null ? 411 : 413).putHeader("connection", "close").end();
                return;
            }
            req.body().onSuccess(body -> {
                if (down) {
                    req.response().setStatusCode(503).end();
                    return;
                }
                byte[] bytes = body.getBytes();
                if (!Signature.verify(secret, req.getHeader(Signature.TIMESTAMP_HEADER),
                        req.getHeader(Signature.SIGNATURE_HEADER), bytes, System.currentTimeMillis() / 1000)) {
                    rejected.add(req.getHeader(Signature.SIGNATURE_HEADER));
                    LOG.warn("rejected a webhook: bad signature or stale timestamp");
                    req.response().setStatusCode(401).end();
                    return;
                }
                JsonObject event;
                try {
                    event = body.toJsonObject();
                } catch (io.vertx.core.json.DecodeException e) {
                    req.response().setStatusCode(400).end();
                    return;
                }
                if (event.getString("id") == null || event.getString("subject") == null || event.getString("type") == null
                        || !(event.getValue("data") instanceof JsonObject)) {
                    req.response().setStatusCode(400).end();
                    return;
                }
                if (!seen.add(event.getString("id"))) {
                    req.response().setStatusCode(200).end(); // already taken: the same event delivered again
                    return;
                }
                String machine = event.getString("subject");
                String type = event.getString("type");
                JsonObject data = event.getJsonObject("data");
                perMachine.computeIfAbsent(machine, k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(type.equals(SchedulerEvents.STATUS_CHANGED) ? "status:" + data.getString("status")
                                : type.substring("vigil.".length()));
                if (type.equals(SchedulerEvents.STATUS_CHANGED)) {
                    latest.put(machine, data);
                    if (Availability.Status.AVAILABLE.id().equals(data.getString("status"))) {
                        excluded.remove(machine);
                        LOG.info("{} is available again: bookable", machine);
                        confirm(machine, false);
                    } else {
                        excluded.add(machine);
                        LOG.info("{} is {} ({}): no new jobs", machine, data.getString("status"), data.getString("reason"));
                        confirm(machine, true);
                    }
                }
                if (delayMillis > 0) {
                    vertx.setTimer(delayMillis, t -> req.response().setStatusCode(204).end());
                } else {
                    req.response().setStatusCode(204).end();
                }
            });
        }).listen(port, host).onSuccess(s -> server = s);
    }

    /**
     * From now on, tells Vigil at {@code vigilBaseUrl} what it decided for each machine
     * ({@code POST /api/v1/availability/{machine}/ack} with a scheduler token), so engineers see the exclusion
     * was taken up.
     */
    public void confirmTo(String vigilBaseUrl, String schedulerToken) {
        this.confirmBase = vigilBaseUrl;
        this.confirmToken = schedulerToken;
    }

    private void confirm(String machine, boolean excludedNow) {
        String base = confirmBase;
        if (base == null) {
            return;
        }
        if (confirmClient == null) {
            confirmClient = vertx.createHttpClient();
        }
        confirmClient.request(new io.vertx.core.http.RequestOptions().setMethod(io.vertx.core.http.HttpMethod.POST)
                        .setAbsoluteURI(base + "/api/v1/availability/" + machine + "/ack")
                        .putHeader("Authorization", "Bearer " + confirmToken).putHeader("Content-Type", "application/json"))
                .compose(r -> r.send(new JsonObject().put("excluded", excludedNow).encode()))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result().statusCode() != 200) {
                        LOG.warn("could not confirm {} to Vigil: {}", machine,
                                ar.failed() ? ar.cause().toString() : "HTTP " + ar.result().statusCode());
                    }
                });
    }

    /**
     * {@code POST /bookings {"job", "hours"}}: books the job on the first machine that is available, not excluded,
     * and not forecast to reach critical before the job ends; 409 when there is none.
     */
    private void book(io.vertx.core.http.HttpServerRequest req, JsonObject job) {
        double hours = job.getDouble("hours", 1.0);
        String chosen = null;
        synchronized (latest) {
            for (Map.Entry<String, JsonObject> e : latest.entrySet()) {
                JsonObject a = e.getValue();
                JsonObject forecast = a.getJsonObject("forecast");
                boolean lasts = forecast == null || forecast.getDouble("hoursToCritical") > hours;
                if (Availability.Status.AVAILABLE.id().equals(a.getString("status")) && !excluded.contains(e.getKey()) && lasts) {
                    chosen = e.getKey();
                    break;
                }
            }
        }
        if (chosen == null) {
            LOG.info("job {} ({} h) not booked: no machine is available for that long", job.getString("job"), hours);
            req.response().setStatusCode(409).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("error", "no machine is available for " + hours + " h").encode());
            return;
        }
        JsonObject booking = new JsonObject().put("job", job.getString("job")).put("hours", hours).put("machine", chosen);
        bookings.add(booking);
        LOG.info("job {} ({} h) booked on {}", job.getString("job"), hours, chosen);
        req.response().setStatusCode(201).putHeader("content-type", "application/json").end(booking.encode());
    }

    public int actualPort() {
        return server.actualPort();
    }

    public void setDown(boolean isDown) {
        down = isDown;
    }

    /** Answers each delivery this much later (a slow scheduler; tests kill Vigil mid-delivery with it). */
    public void setDelayMillis(long millis) {
        delayMillis = millis;
    }

    public Set<String> excluded() {
        synchronized (excluded) {
            return Set.copyOf(excluded);
        }
    }

    /** Per machine, what it received in order: {@code status:at-risk}, {@code alert.raised}, ... */
    public Map<String, List<String>> received() {
        synchronized (perMachine) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            perMachine.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }
    }

    public int rejectedCount() {
        return rejected.size();
    }

    public JsonObject state() {
        JsonObject machines = new JsonObject();
        received().forEach((k, v) -> machines.put(k, new JsonArray(v)));
        return new JsonObject().put("excluded", new JsonArray(List.copyOf(excluded()))).put("received", machines)
                .put("rejected", rejected.size()).put("bookings", new JsonArray(List.copyOf(bookings)));
    }
}
