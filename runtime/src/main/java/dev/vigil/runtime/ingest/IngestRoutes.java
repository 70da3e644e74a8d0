package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.model.score.Assessment;
import dev.vigil.runtime.score.AssessmentJson;
import dev.vigil.runtime.score.MachineStream;
import dev.vigil.runtime.score.PartlyTakenException;
import dev.vigil.runtime.security.Access;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * HTTP ingest, mounted on the service's router: binary frames, {@code POST /api/v1/machines/{id}/frames} (body: one
 * frame, docs/PROTOCOL.md), JSON frames and tabular readings, and the WebSocket stream the server hands over
 * ({@link #handshake}, {@link #stream}). Decoding runs on the machine's lane; assembling, features and scoring run
 * on workers, in order per machine and in parallel across machines ({@link MachineLanes}). Each machine may have a
 * bounded number of frames in flight; beyond that the client gets 429 with Retry-After instead of growing the heap.
 * Who may send, for which machine, and whether it has room are all decided before a byte of the body is read.
 */
public final class IngestRoutes implements BiConsumer<Vertx, Router> {
    private final Access access;
    private final Map<String, MachineStream> machines;
    /** Where frames go instead of being scored here, or null (see the constructor). */
    private final FrameForward forward;
    private final FrameCodec codec;
    private final JsonFrames jsonFrames;
    private final JsonReadings jsonReadings = new JsonReadings();
    private final int maxInFlight;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final FrameScoring scoring;
    private MachineLanes lanes;

    /**
     * @param access who may send for which machine (the WebSocket handshake checks it here; the routes after the
     *               router's authentication)
     * @param scoring scores frames into alerts and history
     */
    public IngestRoutes(Access access, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                        int maxInFlightPerMachine, FrameScoring scoring) {
        this(access, machines, maxSamplesPerFrame, maxInFlightPerMachine, scoring, null);
    }

    /**
     * @param forward where frames go instead of being scored here (an instance of a Kafka cluster scores only the
     *                machines the group gives it, from the frames topic: it forwards what its HTTP and WebSocket
     *                fronts take there, answered 202 without windows; tabular readings are refused with 409), or
     *                null to score them here
     */
    public IngestRoutes(Access access, Map<String, MachineStream> machines, int maxSamplesPerFrame,
                        int maxInFlightPerMachine, FrameScoring scoring, FrameForward forward) {
        this.forward = forward;
        this.codec = new FrameCodec(maxSamplesPerFrame);
        this.access = access;
        this.machines = Map.copyOf(machines);
        this.jsonFrames = new JsonFrames(maxSamplesPerFrame);
        this.maxInFlight = maxInFlightPerMachine;
        this.scoring = scoring;
        machines.keySet().forEach(m -> {
            inFlight.put(m, new AtomicInteger());
            scoring.metrics().queue(m, inFlight.get(m));
        });
    }

    /** The largest binary frame the limit allows: the size of a WebSocket message too. */
    public long maxFrameBytes() {
        return codec.maxFrameBytes();
    }

    @Override
    public void accept(Vertx vertx, Router router) {
        lanes = new MachineLanes(vertx, true);
        // a first route per path decides before the body; only then the body, with a limit from the frame limit:
        // 4 bytes a sample as binary, up to ~16 as JSON text (the decoders still enforce the sample count)
        BodyHandler binary = BodyHandler.create(false).setBodyLimit(codec.maxFrameBytes());
        BodyHandler json = BodyHandler.create(false).setBodyLimit(64L + 16L * codec.maxSamples() + 2L * FrameCodec.MAX_NAME_BYTES);
        router.post("/api/v1/machines/:id/frames").handler(Access.ingestOwnMachine()).handler(this::admit);
        router.post("/api/v1/machines/:id/frames").handler(ctx -> (json(ctx) ? json : binary).handle(ctx))
                .handler(this::frames);
        router.post("/api/v1/machines/:id/readings").handler(Access.ingestOwnMachine()).handler(this::admit);
        router.post("/api/v1/machines/:id/readings").handler(BodyHandler.create(false).setBodyLimit(4L << 20))
                .handler(this::readings);
    }

    /** A body over its route's limit: 413, counted, the connection closed (the rest of the body is not read). */
    public void tooLarge(RoutingContext ctx) {
        error(ctx, 413, "too-large", "the body is larger than this route's limit");
    }

    private void error(RoutingContext ctx, int status, String message) {
        error(ctx, status, switch (status) {
            case 400 -> "malformed";
            case 404 -> "unknown-machine";
            case 422 -> "does-not-fit-stream";
            case 429 -> "busy";
            default -> "error";
        }, message);
    }

    private void error(RoutingContext ctx, int status, String reason, String message) {
        scoring.metrics().refused(reason);
        if (!ctx.request().isEnded()) {
            // refused before its body was read (unknown machine, busy, too large): do not take the rest in
            ctx.response().putHeader("connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }

    private static boolean json(RoutingContext ctx) {
        return String.valueOf(ctx.request().getHeader("content-type")).startsWith("application/json");
    }

    /** Before the body: an unknown machine is 404, a machine with no room 429 (the body is never read). */
    private void admit(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (forward != null && ctx.request().path().endsWith("/readings")) {
            error(ctx, 409, "not-in-a-cluster", "tabular readings are scored on a single box, not by an instance of a "
                    + "Kafka cluster (docs/SCALE-OUT.md)");
        } else if (!machines.containsKey(id)) {
            error(ctx, 404, "unknown machine '" + id + "'");
        } else if (inFlight.get(id).get() >= maxInFlight) {
            busy(ctx, id);
        } else {
            ctx.next();
        }
    }

    private void busy(RoutingContext ctx, String id) {
        ctx.response().putHeader("Retry-After", "1");
        error(ctx, 429, "machine '" + id + "' has " + maxInFlight + " requests waiting to be scored; retry shortly");
    }

    /** A request whose body does not decode: answered 400, where a frame that does not fit the stream is 422. */
    private static final class Malformed extends FrameException {
        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Takes one of the machine's in-flight places for this request (given back when it is answered); null, and
     * the request answered 429, when another came first since {@link #admit}.
     */
    private AtomicInteger takePlace(RoutingContext ctx, String id) {
        AtomicInteger pending = inFlight.get(id);
        if (pending.incrementAndGet() > maxInFlight) {
            pending.decrementAndGet();
            busy(ctx, id);
            return null;
        }
        return pending;
    }

    private void frames(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MachineStream machine = machines.get(id);
        boolean json = json(ctx);
        // an empty body has no buffer at all: it is a malformed frame like any other
        Buffer body = ctx.body().buffer();
        AtomicInteger pending = takePlace(ctx, id);
        if (pending == null) {
            return;
        }
        // decoding (up to 16 bytes a sample of JSON text) runs on the machine's lane, after the in-flight check,
        // never on the event loop
        lanes.submit(id, () -> score(machine, decode(id, json, body), json ? "json" : "http"))
                .onComplete(ar -> answer(ctx, pending, ar));
    }

    /** Scores the frames here, or forwards them to the instance that owns the machine (then: no windows here). */
    private List<Assessment> score(MachineStream machine, List<Frame> frames, String transport) throws Exception {
        if (forward == null) {
            return scoring.score(machine, frames, transport);
        }
        try {
            forward.forward(machine.machineId(), frames);
        } catch (Exception e) {
            throw new NotForwarded(forward.destination() + " did not take the frames (" + e.getMessage()
                    + "); send them again", e);
        }
        for (Frame f : frames) {
            scoring.metrics().frame(transport + "-forwarded", f.samples().length);
        }
        return List.of();
    }

    private List<Frame> decode(String id, boolean json, Buffer body) throws Malformed {
        List<Frame> frames;
        try {
            frames = json ? jsonFrames.decode(id, body == null ? "" : body.toString(StandardCharsets.UTF_8))
                    : List.of(codec.decode(body == null ? new byte[0] : body.getBytes()));
        } catch (FrameException e) {
            throw new Malformed(e.getMessage());
        }
        if (!frames.get(0).machineId().equals(id)) {
            throw new Malformed("frame is for machine '" + frames.get(0).machineId() + "', posted to '" + id + "'");
        }
        return frames;
    }

    /** {@code POST /api/v1/machines/{id}/readings}: already-aggregated rows for a machine with a tabular model. */
    private void readings(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        MachineStream machine = machines.get(id);
        Buffer body = ctx.body().buffer();
        AtomicInteger pending = takePlace(ctx, id);
        if (pending == null) {
            return;
        }
        lanes.submit(id, () -> {
            List<MachineStream.Reading> rows;
            try {
                rows = jsonReadings.decode(body == null ? "" : body.toString(StandardCharsets.UTF_8));
            } catch (FrameException e) {
                throw new Malformed(e.getMessage());
            }
            return scoring.scoreReadings(machine, rows);
        }).onComplete(ar -> answer(ctx, pending, ar));
    }

    private void answer(RoutingContext ctx, AtomicInteger pending, AsyncResult<List<Assessment>> ar) {
        pending.decrementAndGet();
        if (ar.failed()) {
            Throwable t = ar.cause();
            if (t instanceof Malformed) {
                error(ctx, 400, t.getMessage());
                return;
            }
            if (t instanceof PartlyTakenException partly) {
                // the windows the batch's first part completed are scored and told, like a 202's
                scoring.metrics().refused("does-not-fit-stream");
                ctx.response().setStatusCode(422).putHeader("content-type", "application/json").end(
                        windows(partly.taken()).put("error", t.getMessage()).put("taken", partly.count()).encode());
                return;
            }
            if (t instanceof ClockSkewException) {
                error(ctx, 422, "clock-skew", t.getMessage());
                return;
            }
            if (t instanceof NotForwarded) {
                ctx.response().putHeader("Retry-After", "1");
                error(ctx, 503, "not-forwarded", t.getMessage());
                return;
            }
            if (t instanceof SQLException) {
                // the store could not commit (locked, disk full): nothing is lost, the alert changes wait; send again
                ctx.response().putHeader("Retry-After", "1");
                error(ctx, 503, "store-unavailable", "the store could not commit this frame's alert changes ("
                        + t.getMessage() + "); they are kept: send the frame again");
                return;
            }
            error(ctx, t instanceof FrameException ? 422 : 500, t instanceof FrameException ? t.getMessage()
                    : "scoring failed: " + t.getClass().getSimpleName());
            return;
        }
        JsonObject answer = windows(ar.result());
        if (forward != null) {
            answer.put("forwardedTo", forward.destination());
        }
        ctx.response().setStatusCode(202).putHeader("content-type", "application/json").end(answer.encode());
    }

    /** The cluster's frames topic did not take a frame: the sender is told to send it again (503). */
    private static final class NotForwarded extends Exception {
        NotForwarded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A streamed frame for another machine than the socket's: answered, not counted as refused. */
    private static final class NotThisMachine extends FrameException {
        NotThisMachine(String message) {
            super(message);
        }
    }

    /** One WebSocket message as the socket's machine's frame (on its lane). */
    private Frame streamed(String id, byte[] bytes) throws FrameException {
        Frame frame;
        try {
            frame = codec.decode(bytes);
        } catch (FrameException e) {
            throw new Malformed(e.getMessage());
        }
        if (!frame.machineId().equals(id)) {
            throw new NotThisMachine("frame is for machine '" + frame.machineId() + "', streamed to '" + id + "'");
        }
        return frame;
    }

    private static JsonObject windows(List<Assessment> assessed) {
        JsonArray windows = new JsonArray();
        for (Assessment a : assessed) {
            windows.add(AssessmentJson.of(a));
        }
        return new JsonObject().put("windows", windows);
    }

    /**
     * WebSockets bypass the router: the handshake is where the token is checked (401/403 before the upgrade); the
     * server hands every handshake here.
     */
    public void handshake(ServerWebSocketHandshake hs) {
        var p = access.tokens().authenticate(hs.headers().get("Authorization"));
        if (p.isEmpty()) {
            hs.reject(401);
        } else if (!access.sees(p.get(), machineOf(hs.path()))) {
            hs.reject(404);
        } else if (!p.get().mayIngest(machineOf(hs.path()))) {
            hs.reject(403);
        } else {
            hs.accept();
        }
    }

    private static String machineOf(String path) {
        String prefix = "/api/v1/machines/";
        return path.startsWith(prefix) && path.endsWith("/stream")
                ? path.substring(prefix.length(), path.length() - "/stream".length()) : "";
    }

    /**
     * {@code GET /api/v1/machines/{id}/stream} upgraded to a WebSocket: every binary message is one frame. Answers
     * are text messages: {@code {"windows": [...]}} when a frame completed windows, {@code {"error": "..."}} for
     * a frame that was refused (the connection stays open). When the machine has too many frames waiting, the
     * socket stops reading (TCP back-pressure) until scoring catches up.
     */
    public void stream(ServerWebSocket ws) {
        String path = ws.path();
        String id = machineOf(path);
        MachineStream machine = machines.get(id);
        if (machine == null) {
            ws.writeTextMessage(new JsonObject().put("error", id.isEmpty() ? "no such stream: " + path
                    : "unknown machine '" + id + "'").encode());
            ws.close((short) 1008, "unknown machine");
            return;
        }
        AtomicInteger pending = inFlight.get(id);
        // two reasons to stop reading the socket: the machine has too many frames waiting, or the client does not
        // read its answers (the write queue is full); reading resumes when neither holds. Without the second, a
        // client that only sends would have every answer buffered in the service without bound
        AtomicBoolean clientBehind = new AtomicBoolean();
        Consumer<String> answer = text -> {
            ws.writeTextMessage(text);
            if (ws.writeQueueFull() && clientBehind.compareAndSet(false, true)) {
                ws.pause();
                ws.drainHandler(v -> {
                    clientBehind.set(false);
                    if (pending.get() < maxInFlight) {
                        ws.resume();
                    }
                });
            }
        };
        ws.binaryMessageHandler(buffer -> {
            if (pending.incrementAndGet() >= maxInFlight) {
                ws.pause();
            }
            // only the bytes are taken here; decoding (checksum, samples) runs on the machine's lane, as an HTTP
            // body's does, so the event loop that serves every socket does not spend itself on it
            byte[] bytes = buffer.getBytes();
            lanes.submit(id, () -> score(machine, List.of(streamed(id, bytes)), "websocket")).onComplete(ar -> {
                if (pending.decrementAndGet() <= maxInFlight / 2 && !clientBehind.get()) {
                    ws.resume();
                }
                if (ws.isClosed()) {
                    return;
                }
                if (ar.failed()) {
                    Throwable t = ar.cause();
                    if (!(t instanceof NotThisMachine)) {
                        scoring.metrics().refused(t instanceof Malformed ? "malformed"
                                : t instanceof ClockSkewException ? "clock-skew"
                                : t instanceof NotForwarded ? "not-forwarded" : "does-not-fit-stream");
                    }
                    answer.accept(new JsonObject().put("error", t instanceof FrameException || t instanceof NotForwarded
                            ? t.getMessage() : "scoring failed").encode());
                } else if (!ar.result().isEmpty()) {
                    answer.accept(windows(ar.result()).encode());
                }
            });
        });
    }

}
