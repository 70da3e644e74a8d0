package dev.vigil.runtime.loadgen;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's ceiling for {@code vigil loadgen --ceiling}: a WebSocket server (one verticle, as Vigil's HTTP
 * port is) that decodes every binary message as a frame with Vigil's own codec and sums its samples, nothing more.
 * Fed the same frames by the same generator, unpaced, the samples it takes per second are what the transport and
 * decoding alone carry on this machine in this run: the reference Vigil's rate is given against, so every run
 * carries its own. A message that does not decode is counted, not answered.
 */
public final class NullServer extends VerticleBase {
    private final FrameCodec codec;
    private final LongAdder samples = new LongAdder();
    private final LongAdder refused = new LongAdder();
    // the sum keeps the JIT from dropping the reading of the samples; it is also what a test checks
    private final DoubleAdder sum = new DoubleAdder();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicLong lastNanos = new AtomicLong();
    private HttpServer server;
    private volatile long expected = Long.MAX_VALUE;
    private final CompletableFuture<Long> reached = new CompletableFuture<>();

    /** @param maxSamplesPerFrame the frame limit, as Vigil's {@code scoring.maxSamplesPerFrame} */
    public NullServer(int maxSamplesPerFrame) {
        this.codec = new FrameCodec(maxSamplesPerFrame);
    }

    @Override
    public Future<?> start() {
        int frameBytes = (int) Math.min(Integer.MAX_VALUE, codec.maxFrameBytes());
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setMaxWebSocketFrameSize(frameBytes).setMaxWebSocketMessageSize(frameBytes))
                .webSocketHandler(this::stream).listen().onSuccess(s -> server = s);
    }

    private void stream(ServerWebSocket ws) {
        ws.binaryMessageHandler(this::take);
    }

    private void take(Buffer message) {
        long now = System.nanoTime();
        firstNanos.compareAndSet(0, now);
        Frame f;
        try {
            f = codec.decode(message.getBytes());
        } catch (FrameException e) {
            refused.increment();
            check();
            return;
        }
        double s = 0;
        for (float v : f.samples()) {
            s += v;
        }
        sum.add(s);
        samples.add(f.samples().length);
        lastNanos.set(now);
        check();
    }

    /**
     * Completes with the samples taken once {@code n} have been, or as soon as a message is refused (the count will
     * then never be right): what was sent may still be on its way when the sender is done.
     */
    public CompletableFuture<Long> whenTaken(long n) {
        expected = n;
        check();
        return reached;
    }

    private void check() {
        if (samples.sum() >= expected || refused.sum() > 0 && expected != Long.MAX_VALUE) {
            reached.complete(samples.sum());
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Samples decoded so far. */
    public long samples() {
        return samples.sum();
    }

    /** Messages that were not frames. */
    public long refused() {
        return refused.sum();
    }

    /** The sum of every sample decoded. */
    public double sum() {
        return sum.sum();
    }

    /** Samples per second from the first message to the last (NaN before two). */
    public double samplesPerSecond() {
        long span = lastNanos.get() - firstNanos.get();
        return span <= 0 ? Double.NaN : samples() / (span / 1e9);
    }
}
