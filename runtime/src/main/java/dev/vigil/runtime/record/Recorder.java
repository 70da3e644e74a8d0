package dev.vigil.runtime.record;

import dev.vigil.domain.Frame;
import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingWriter;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.runtime.config.RecordingSettings;
import dev.vigil.runtime.ops.Directories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keeps what retraining needs: every machine's raw frames in a rolling spool ({@link FrameSpool}), and writes
 * out, in the waveform recording format (training-data/FORMATS.md), the context around each new alert
 * ({@code before} its first window to {@code after} it) and a short healthy sample every so often while a machine
 * is normal. Spooling and captures run on two background threads with bounded queues, so scoring never waits
 * for the disk; the oldest healthy captures, then the oldest alert captures, are deleted to stay within the quota.
 * Captures still waiting for their "after" data when the service stops are lost (documented).
 */
public final class Recorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);
    private static final long SEGMENT_MILLIS = 10_000;

    /** One machine's model channels and kind, as recorded in meta.json. */
    public record Source(String kind, FeatureSpec spec) {
    }

    private final RecordingSettings settings;
    private final Map<String, Machine> machines = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor writer;
    private static final int SPOOL_QUEUE = 8192;
    private static final Runnable STOP = () -> { };
    private final java.util.concurrent.BlockingQueue<Runnable> spoolQueue = new ArrayBlockingQueue<>(SPOOL_QUEUE);
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastDropLog;
    private final Thread spooler;

    private final class Machine {
        final String id;
        final Source source;
        final FrameSpool spool;
        final List<long[]> pending = new ArrayList<>();  // {alertId, fromMillis, toMillis}
        // starts of captures queued or being written: their segments must outlive the queue
        final java.util.Queue<Long> writing = new java.util.concurrent.ConcurrentLinkedQueue<>();
        long lastHealthy = Long.MIN_VALUE;

        Machine(String id, Source source) throws IOException {
            this.id = id;
            this.source = source;
            this.spool = new FrameSpool(settings.dir().resolve(".spool").resolve(id), SEGMENT_MILLIS);
        }
    }

    public Recorder(RecordingSettings settings, Map<String, Source> sources) throws IOException {
        this.settings = settings;
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            machines.put(e.getKey(), new Machine(e.getKey(), e.getValue()));
        }
        spooler = new Thread(this::spoolLoop, "vigil-spool");
        spooler.setDaemon(true);
        spooler.start();
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "vigil-recorder");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands a machine's frames to the spool thread, which writes them and starts the captures that are due.
     * Never blocks scoring on the disk: when the spool thread is {@code SPOOL_QUEUE} frames behind, frames are
     * dropped from the recording (counted, logged once a minute), never from scoring.
     *
     * @param normal whether the machine is healthy right now (healthy samples are taken only then)
     */
    public void append(String machineId, List<Frame> frames, boolean normal) {
        Machine m = machines.get(machineId);
        if (m == null) {
            return;
        }
        if (!spoolQueue.offer(() -> spool(m, frames, normal))) {
            long n = dropped.incrementAndGet();
            if (System.currentTimeMillis() - lastDropLog > 60_000) {
                lastDropLog = System.currentTimeMillis();
                LOG.warn("recording spool behind: {} frame batches dropped from recordings so far", n);
            }
        }
    }

    /** Frame batches dropped from the recordings because the disk could not keep up. */
    public long dropped() {
        return dropped.get();
    }

    private void spoolLoop() {
        while (true) {
            Runnable task;
            try {
                task = spoolQueue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            task.run();
        }
    }

    private void spool(Machine m, List<Frame> frames, boolean normal) {
        try {
            spoolNow(m, frames, normal);
        } catch (IOException | RuntimeException e) {
            LOG.warn("recording spool of {} failed: {}", m.id, e.toString());
        }
    }

    private void spoolNow(Machine m, List<Frame> frames, boolean normal) throws IOException {
        synchronized (m) {
            for (Frame f : frames) {
                m.spool.append(f);
            }
            long newest = m.spool.newestMillis();
            boolean flushed = false;
            for (var it = m.pending.iterator(); it.hasNext(); ) {
                long[] p = it.next();
                if (p[2] <= newest) {
                    it.remove();
                    if (!flushed) {
                        m.spool.flush();
                        flushed = true;
                    }
                    submit(m, p[1], p[2], "alert-" + p[0]);
                }
            }
            if (normal && m.pending.isEmpty() && !settings.healthyEvery().isZero()
                    && (m.lastHealthy == Long.MIN_VALUE || newest - m.lastHealthy >= settings.healthyEvery().toMillis())) {
                m.lastHealthy = newest;
                m.spool.flush();
                submit(m, newest - settings.healthyLength().toMillis(), newest, "healthy");
            }
            m.spool.pin(pinFrom(m));
            m.spool.prune(newest - settings.before().toMillis() - SEGMENT_MILLIS);
        }
    }

    /** A new alert: record from {@code before} its first window to {@code after} it. */
    public void alertRaised(String machineId, long alertId, Instant firstSeen) {
        Machine m = machines.get(machineId);
        if (m == null) {
            return;
        }
        synchronized (m) {
            long from = firstSeen.toEpochMilli() - settings.before().toMillis();
            m.pending.add(new long[]{alertId, from, firstSeen.toEpochMilli() + settings.after().toMillis()});
            m.spool.pin(pinFrom(m));
        }
    }

    private static long pinFrom(Machine m) {
        long pin = m.pending.stream().mapToLong(p -> p[1]).min().orElse(Long.MAX_VALUE);
        for (long w : m.writing) {
            pin = Math.min(pin, w);
        }
        return pin;
    }

    private void submit(Machine m, long from, long to, String what) {
        String name = what + "-" + Instant.ofEpochMilli(from).toString().replace(':', '-');
        Path out = settings.dir().resolve(m.id).resolve(name);
        Long start = from;
        m.writing.add(start);
        try {
            writer.execute(() -> {
                try {
                    write(m, from, to, out);
                    enforceQuota();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not write the recording {}: {}", out, e.toString());
                } finally {
                    m.writing.remove(start);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            m.writing.remove(start);
            LOG.warn("recording queue full (or stopping): {} was not written", out);
        }
    }

    /** The capture as a recording: each model channel on its own grid from {@code from}; missing samples NaN. */
    private void write(Machine m, long from, long to, Path out) throws IOException {
        List<FeatureSpec.ChannelUse> chans = m.source.spec().channels();
        List<ChannelMeta> metas = new ArrayList<>();
        for (FeatureSpec.ChannelUse c : chans) {
            metas.add(new ChannelMeta(c.name(), c.unit(), c.sampleRateHz(), "", role(c.use()), c.name() + ".f32", 0, null));
        }
        RecordingMeta header = new RecordingMeta(RecordingMeta.FORMAT_VERSION, m.id, m.source.kind(),
                Instant.ofEpochMilli(from), metas, m.source.spec().bearing(), null);
        Path tmp = out.resolveSibling(out.getFileName() + ".partial");
        try {
            writeTo(m, from, to, tmp, header, chans);
        } catch (IOException | RuntimeException e) {
            // half a recording is no recording: nothing of it stays on the disk
            try {
                Directories.deleteTree(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the quota pass deletes it later
            }
            throw e;
        }
        // no verdict yet: unlabelled, which the format spells as no labels.csv (`vigil export-labels` adds it)
        Files.deleteIfExists(tmp.resolve("labels.csv"));
        Files.move(tmp, out);
    }

    private void writeTo(Machine m, long from, long to, Path tmp, RecordingMeta header,
                         List<FeatureSpec.ChannelUse> chans) throws IOException {
        try (RecordingWriter w = RecordingWriter.create(tmp, header)) {
            for (int i = 0; i < chans.size(); i++) {
                FeatureSpec.ChannelUse c = chans.get(i);
                float[] grid = new float[(int) Math.round((to - from) / 1000.0 * c.sampleRateHz())];
                Arrays.fill(grid, Float.NaN);
                m.spool.read(from, to, f -> {
                    if (!f.channel().equals(c.name()) || f.sampleRateHz() != c.sampleRateHz()) {
                        return;
                    }
                    long offset = Math.round((f.startNanos() - from * 1_000_000L) / 1e9 * c.sampleRateHz());
                    for (int k = 0; k < f.samples().length; k++) {
                        long at = offset + k;
                        if (at >= 0 && at < grid.length) {
                            grid[(int) at] = f.samples()[k];
                        }
                    }
                });
                w.append(i, grid);
            }
            w.finish(List.of());
        }
    }

    private static String role(String use) {
        return switch (use) {
            case "vibration" -> "vibration";
            case "ac-current", "servo-current" -> "current";
            case "position" -> "position";
            default -> "tag";
        };
    }

    /**
     * Deletes captures left half-written (a crash or a full disk during a write: only this thread writes, so none is
     * being written now), then the oldest healthy captures, then the oldest alert captures, until under the quota.
     */
    private void enforceQuota() throws IOException {
        List<Path> captures = new ArrayList<>();
        List<Path> partial = new ArrayList<>();
        try (Stream<Path> machinesDirs = Files.list(settings.dir())) {
            for (Path md : machinesDirs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith("."))
                    .toList()) {
                try (Stream<Path> cs = Files.list(md)) {
                    cs.filter(Files::isDirectory).forEach(p -> (p.getFileName().toString().endsWith(".partial")
                            ? partial : captures).add(p));
                }
            }
        }
        for (Path p : partial) {
            Directories.deleteTree(p);
            LOG.info("recordings: deleted the half-written {}", p);
        }
        long total = 0;
        for (Path c : captures) {
            total += size(c);
        }
        captures.sort(Comparator.comparing((Path p) -> !p.getFileName().toString().startsWith("healthy"))
                .thenComparing(p -> p.getFileName().toString().replaceFirst("^alert-\\d+-|^healthy-", "")));
        for (Path c : captures) {
            if (total <= settings.quotaBytes()) {
                break;
            }
            long s = size(c);
            Directories.deleteTree(c);
            total -= s;
            LOG.info("recording quota: deleted {}", c);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Captures of a machine (or all machines with null), oldest first. */
    public List<Path> captures(String machineId) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String id : machineId == null ? machines.keySet() : List.of(machineId)) {
            Path md = settings.dir().resolve(id);
            if (Files.isDirectory(md)) {
                try (Stream<Path> cs = Files.list(md)) {
                    cs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().endsWith(".partial"))
                            .sorted().forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Waits until the frames handed over so far are spooled and the captures they started are written. */
    public void awaitWrites(Duration timeout) throws Exception {
        java.util.concurrent.CompletableFuture<Void> spooled = new java.util.concurrent.CompletableFuture<>();
        spoolQueue.put(() -> spooled.complete(null));
        spooled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        writer.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        try {
            spoolQueue.put(STOP);
            spooler.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.shutdown();
        try {
            writer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Machine m : machines.values()) {
            synchronized (m) {
                m.spool.close();
            }
        }
    }
}
