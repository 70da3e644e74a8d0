package dev.vigil.runtime.loadgen;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives N simulated CNC spindles over WebSocket in real time, as a plant gateway would: every 100 ms each machine
 * sends the next 0.1 s of every channel, stamped with the current time. The signals are simulated once before
 * the run (healthy, and a bearing fault that grows within the run for every {@code faultyEvery}-th machine), so
 * the generator's own cost is encoding and sending. Measures, per machine connection, the latency from the end
 * of each window to its assessment arriving back (after a 5 s warm-up), and how far the senders fell behind.
 */
public final class LoadGenerator {

    /**
     * @param machines how many machines, named {@code <prefix>-<i>}
     * @param seconds how long to stream
     * @param faultyEvery every n-th machine has a growing bearing fault (0: none)
     * @param paced in real time, 0.1 s of every machine every 0.1 s, as gateways send; or as fast as the server takes
     *              it (the ceiling run)
     * @param warmUpSeconds windows ending in the run's first seconds are left out of the latency percentiles (the
     *                      JIT, the heap growing to the service's working set); they are reported apart
     */
    public record Plan(String host, int port, boolean tls, String token, String prefix, int machines, int seconds,
                       int faultyEvery, boolean paced, int warmUpSeconds) {
    }

    /**
     * @param samplesSent samples sent
     * @param seconds wall time of the run
     * @param behindSeconds how far the senders were behind schedule at the end (0 when they kept up)
     * @param windowLatencyMs p50, p99, max of end-of-window to assessment received (ms), after the warm-up
     * @param windows assessments received
     * @param alarms of which in alarm
     * @param errors error messages received
     * @param slowSeconds the seconds of the run (from its start, warm-up included) in which some window took over
     *                    100 ms, with the slowest window's latency (ms) in each: whether the tail is one stall or spread
     */
    public record Result(long samplesSent, double seconds, double behindSeconds, double[] windowLatencyMs, long windows,
                         long alarms, long errors, SortedMap<Integer, Long> slowSeconds) {
        public double samplesPerSecond() {
            return samplesSent / seconds;
        }
    }

    private final Vertx vertx;

    public LoadGenerator(Vertx vertx) {
        this.vertx = vertx;
    }

    /** 0.1 s frames of a CNC spindle for the run, healthy or with a bearing fault growing over its second half. */
    public static List<Frame> simulate(String modelMachineId, int seconds, boolean faulty, long seed) {
        Simulation.Builder b = Simulation.builder(CncSpec.defaults(modelMachineId)).lifeDurationS(seconds).seed(seed);
        if (faulty) {
            b.fault(new FaultSpec(FaultType.BEARING_OUTER, seconds * 0.4, seconds * 0.3, Progression.LINEAR, 1, null, 0));
        }
        List<Frame> out = new ArrayList<>();
        Iterator<Frame> it = b.build().frames();
        it.forEachRemaining(out::add);
        return out;
    }

    public Result run(Plan plan, List<Frame> healthy, List<Frame> faulty) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(plan.tls())
                .setTrustAll(true).setVerifyHost(false).setMaxFrameSize(4 << 20).setMaxMessageSize(8 << 20)
                .setMaxConnections(plan.machines()));
        List<WebSocket> sockets = new ArrayList<>();
        long[] latencies = new long[plan.machines() * (plan.seconds() + 5) * 2];
        long[] ends = new long[latencies.length];
        AtomicLong received = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        long[] startMillis = {Long.MAX_VALUE};
        AtomicLong alarms = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        for (int i = 0; i < plan.machines(); i++) {
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(plan.host()).setPort(plan.port())
                    .setSsl(plan.tls()).setURI("/api/v1/machines/" + plan.prefix() + "-" + i + "/stream");
            if (plan.token() != null) {
                o.addHeader("Authorization", "Bearer " + plan.token());
            }
            WebSocket ws = client.connect(o).await(30, TimeUnit.SECONDS);
            ws.textMessageHandler(text -> {
                long now = System.currentTimeMillis();
                JsonObject m = new JsonObject(text);
                if (m.containsKey("error")) {
                    errors.incrementAndGet();
                    return;
                }
                for (Object w : m.getJsonArray("windows")) {
                    JsonObject a = (JsonObject) w;
                    received.incrementAndGet();
                    long end = Instant.parse(a.getString("at")).toEpochMilli();
                    if (end >= startMillis[0]) {
                        long n = measured.getAndIncrement();
                        if (n < latencies.length) {
                            latencies[(int) n] = now - end;
                            ends[(int) n] = end;
                        }
                    }
                    if (a.getBoolean("alarm")) {
                        alarms.incrementAndGet();
                    }
                }
            });
            sockets.add(ws);
        }
        // align the stream to the wall clock: frame k of the recording is sent once its 0.1 s have passed
        long t0Millis = (System.currentTimeMillis() / 1000 + 2) * 1000;
        startMillis[0] = t0Millis;
        long recordingStart = healthy.get(0).startNanos();
        int channels = (int) healthy.stream().map(Frame::channel).distinct().count();
        int ticks = Math.min(plan.seconds() * 10, healthy.size() / channels);
        AtomicLong sent = new AtomicLong();
        long behind = 0;
        // paced, the stream starts at the next whole second but one; unpaced, now
        long startNanos = plan.paced() ? System.nanoTime() + (t0Millis - System.currentTimeMillis()) * 1_000_000L
                : System.nanoTime();
        for (int tick = 0; tick < ticks; tick++) {
            long due = startNanos + (tick + 1) * 100_000_000L;
            long wait = due - System.nanoTime();
            if (plan.paced() && wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            behind = plan.paced() ? Math.max(0, System.nanoTime() - due) : 0;
            for (int i = 0; i < plan.machines(); i++) {
                boolean bad = plan.faultyEvery() > 0 && i % plan.faultyEvery() == plan.faultyEvery() - 1;
                List<Frame> src = bad ? faulty : healthy;
                String machine = plan.prefix() + "-" + i;
                WebSocket ws = sockets.get(i);
                while (ws.writeQueueFull()) {
                    // the server is not reading (back-pressure): this sender falls behind schedule
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                for (int c = 0; c < channels; c++) {
                    Frame f = src.get(tick * channels + c);
                    long start = t0Millis * 1_000_000L + (f.startNanos() - recordingStart);
                    byte[] bytes = FrameCodec.encode(new Frame(machine, f.channel(), start, f.sampleRateHz(), f.samples()));
                    ws.writeBinaryMessage(Buffer.buffer(bytes));
                    sent.addAndGet(f.samples().length);
                }
            }
        }
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        Thread.sleep(1500);  // the last windows' answers
        for (WebSocket ws : sockets) {
            ws.close().await(10, TimeUnit.SECONDS);
        }
        client.close();
        int n = (int) Math.min(measured.get(), latencies.length);
        SortedMap<Integer, Long> slow = new TreeMap<>();
        long[] lat = new long[n];
        int steady = 0;
        for (int i = 0; i < n; i++) {
            if (latencies[i] > 100) {
                slow.merge((int) ((ends[i] - t0Millis) / 1000), latencies[i], Math::max);
            }
            // the first seconds warm the JIT and grow the heap: they are not what a running service does
            if (ends[i] >= t0Millis + plan.warmUpSeconds() * 1000L) {
                lat[steady++] = latencies[i];
            }
        }
        lat = Arrays.copyOf(lat, steady);
        Arrays.sort(lat);
        double[] pct = steady == 0 ? new double[]{Double.NaN, Double.NaN, Double.NaN}
                : new double[]{lat[steady / 2], lat[Math.min(steady - 1, (int) Math.ceil(steady * 0.99) - 1)],
                        lat[steady - 1]};
        return new Result(sent.get(), elapsed, behind / 1e9, pct, received.get(), alarms.get(), errors.get(), slow);
    }
}
