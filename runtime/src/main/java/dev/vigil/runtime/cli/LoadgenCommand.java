package dev.vigil.runtime.cli;

import dev.vigil.domain.Frame;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.loadgen.KafkaLoad;
import dev.vigil.runtime.loadgen.LatencyBetween;
import dev.vigil.runtime.loadgen.LoadGenerator;
import dev.vigil.runtime.loadgen.NullServer;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code vigil loadgen --machines 100 --seconds 60}: starts the service in this process with N machines (one
 * trained model shared), streams simulated spindles into it over WebSocket in real time, and reports the
 * sustained ingest rate, end-of-window to assessment latency, alert latency, heap, RSS and CPU.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
        description = {"Benchmark: N simulated CNC spindles (3 x 25.6 kHz vibration, 3 x 10 kHz current, 5 tags,",
                "106,850 samples/s each) stream over WebSocket into the service, in real time, measured end to end."})
public final class LoadgenCommand implements Callable<Integer> {

    @Option(names = "--machines", defaultValue = "10", description = "Machines (default ${DEFAULT-VALUE}).")
    int machines;

    @Option(names = "--seconds", defaultValue = "60", description = "Seconds to stream (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--faulty-every", defaultValue = "10",
            description = "Every n-th machine develops a bearing fault during the run (0: none; default ${DEFAULT-VALUE}).")
    int faultyEvery;

    @Option(names = "--model", description = "Bundle for every machine (default: train one on 15 min of a healthy spindle).")
    Path model;

    @Option(names = "--record", description = "Keep recording on (spool every frame to disk).")
    boolean record;

    @Option(names = "--tolerance", defaultValue = "0",
            description = "Seconds a window waits for stragglers (default ${DEFAULT-VALUE}: score as soon as complete).")
    double tolerance;

    @Option(names = "--dir", description = "Working directory (default: a temporary one).")
    Path dir;

    @Option(names = "--warm-up", defaultValue = "20", description = {"Windows ending in the first seconds are left out of",
            "the latency percentiles and reported apart (default ${DEFAULT-VALUE})."})
    int warmUp;

    @Option(names = "--service-warm-up", defaultValue = "10", description = {"Seconds the service scores synthetic",
            "windows before it opens its port (scoring.warmUpSeconds, as deploy/vigil.yaml; default ${DEFAULT-VALUE})."})
    double serviceWarmUp;

    @Option(names = "--ceiling", description = {"First measure the transport's ceiling in this process: the same",
            "generator, unpaced, into a server that only decodes frames and sums their samples; Vigil's rate is then",
            "also given as a share of it."})
    boolean ceiling;

    @Option(names = "--kafka", description = {"Bootstrap servers of a Kafka cluster: the gateways publish to the frames",
            "topic instead (topics of this run's own), and --instances instances of a cluster, in this process, score",
            "them; the latency is the service's own (window end to assessment done)."})
    String kafka;

    @Option(names = "--instances", defaultValue = "1", description = "Instances of the cluster, with --kafka (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--kafka-batch-kb", defaultValue = "256", description = {"The gateways' producer batch size in kB, with",
            "--kafka (default ${DEFAULT-VALUE}, as docs/SCALE-OUT.md advises gateways; Kafka's own default is 16)."})
    int kafkaBatchKb;

    /** Seconds of frames the ceiling run sends (unpaced it takes less wall time). */
    static final int CEILING_SECONDS = 20;

    @Override
    public Integer call() throws Exception {
        if (machines < 1 || seconds < 5) {
            throw new IllegalArgumentException("--machines must be at least 1 and --seconds at least 5");
        }
        if (kafkaBatchKb < 1 || kafkaBatchKb > 16_384) {
            throw new IllegalArgumentException("--kafka-batch-kb must be 1-16384, got " + kafkaBatchKb);
        }
        if (instances < 1 || instances > 1 && kafka == null) {
            throw new IllegalArgumentException("--instances must be at least 1, and more than 1 only with --kafka");
        }
        if (warmUp < 0 || warmUp >= seconds) {
            throw new IllegalArgumentException("--warm-up must be at least 0 and less than --seconds (" + seconds + ")");
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("vigil-loadgen-");
        Path bundle = model;
        if (bundle == null) {
            System.out.println("training a model on 15 min of a healthy spindle ...");
            Path healthy = work.resolve("healthy");
            Simulation.builder(CncSpec.defaults("spindle-7")).lifeDurationS(900).seed(51).build().writeRecording(healthy, b -> { });
            bundle = work.resolve("spindle.zip");
            new Trainer(TrainOptions.of(List.of(healthy)), (e, m, t, v) -> { }, s -> { }).trainTo(bundle);
        }
        StringBuilder yaml = new StringBuilder("http: {host: 127.0.0.1, port: 0}\n"
                + "storage: {path: " + work.resolve("data/vigil.db") + "}\n"
                + "scoring: {toleranceSeconds: " + tolerance + ", maxInFlightPerMachine: 64, warmUpSeconds: "
                + serviceWarmUp + "}\n"
                + "recording: {enabled: " + record + ", path: " + work.resolve("data/recordings") + "}\n"
                + "auth: {tokens: [{name: loadgen, role: admin, sha256: "
                + dev.vigil.runtime.security.Tokens.sha256("loadgen-token") + "}]}\nmachines:\n");
        for (int i = 0; i < machines; i++) {
            yaml.append("  - {id: m-").append(i).append(", model: ").append(bundle.toAbsolutePath()).append("}\n");
        }
        Path config = Files.writeString(work.resolve("vigil.yaml"), yaml);
        if (kafka != null) {
            return throughKafka(work, bundle);
        }
        System.out.printf("simulating %d s of a healthy and a faulty spindle ...%n", seconds + 2);
        List<Frame> healthy = simulate(seconds + 2, false);
        List<Frame> faulty = simulate(seconds + 2, true);

        double ceilingRate = ceiling ? ceiling(healthy, faulty) : Double.NaN;
        System.out.println(heapSettings());

        Metrics metrics = Metrics.create();
        Vertx vertx = VigilServer.newVertx(metrics);
        try {
            RuntimeConfig rc = ConfigLoader.load(vertx, config, Map.of()).await(30, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, rc, Clock.systemUTC(), metrics).start().await(120, TimeUnit.SECONDS);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            double samples0 = metrics.samples();
            System.out.printf("streaming %d machines for %d s ...%n", machines, seconds);
            LoadGenerator.Result r = new LoadGenerator(Vertx.vertx()).run(new LoadGenerator.Plan("127.0.0.1", server.port(),
                    false, "loadgen-token", "m", machines, seconds, faultyEvery, true, warmUp), healthy, faulty);
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
            double scored = metrics.samples() - samples0;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            double[] alerts = metrics.alertLatencySummary();
            System.out.printf("%nmachines %d, channels 11 each, %d s%n", machines, seconds);
            System.out.printf("sent        %.2f M samples/s (target %.2f M/s), behind schedule at the end: %.2f s%n",
                    r.samplesPerSecond() / 1e6, machines * 106_850 / 1e6, r.behindSeconds());
            System.out.printf("ingested    %.2f M samples/s (server counter over the run)%s%n", scored / r.seconds() / 1e6,
                    ceiling ? String.format(Locale.ROOT, ", %.1f %% of the ceiling (%.2f M samples/s)",
                            100 * scored / r.seconds() / ceilingRate, ceilingRate / 1e6) : "");
            System.out.printf("windows     %d assessed (%d in alarm), %d errors%n", r.windows(), r.alarms(), r.errors());
            System.out.printf("window end -> assessment at the client (after %d s warm-up): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    warmUp, r.windowLatencyMs()[0], r.windowLatencyMs()[1], r.windowLatencyMs()[2]);
            System.out.printf("seconds with a window over 100 ms (warm-up included): %d of %d%s%n", r.slowSeconds().size(),
                    seconds, r.slowSeconds().isEmpty() ? "" : " (second: slowest ms) " + r.slowSeconds());
            double[] inService = metrics.windowLatencySummary();
            System.out.printf("window end -> assessment done in the service (last minutes): %d windows, p50 %.0f ms, "
                    + "p99 %.0f ms, max %.0f ms%n", (long) inService[0], inService[1], inService[2], inService[3]);
            System.out.printf("window end -> alert stored and published: %d alert changes, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    (long) alerts[0], alerts[1], alerts[2], alerts[3]);
            System.out.printf("process     %.2f cores (service and generator), heap after GC %d MB, RSS %s%n", cores,
                    heap >> 20, rss());
            server.stop().await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        return 0;
    }

    /**
     * The Kafka path: {@code instances} instances of a cluster in this process (each its own Vert.x, store and
     * metrics, one consumer group) score what the simulated gateways publish to this run's frames topic.
     */
    private int throughKafka(Path work, Path bundle) throws Exception {
        String run = "loadgen-" + System.currentTimeMillis();
        List<Path> configs = new ArrayList<>();
        for (int k = 0; k < instances; k++) {
            Path home = Files.createDirectories(work.resolve("instance-" + k));
            StringBuilder yaml = new StringBuilder("http: {host: 127.0.0.1, port: 0}\n"
                    + "storage: {path: " + home.resolve("data/vigil.db") + "}\n"
                    + "scoring: {toleranceSeconds: " + tolerance + ", warmUpSeconds: " + serviceWarmUp + "}\n"
                    + "recording: {enabled: false}\n"
                    + "auth: {disabled: true}\n"
                    + "kafka: {bootstrapServers: \"" + kafka + "\", group: " + run + ", instance: vigil-" + k
                    + ", partitions: 12, topics: {frames: " + run + ".frames, state: " + run + ".state, commands: " + run
                    + ".commands, alerts: " + run + ".alerts, availability: " + run + ".availability, models: " + run
                    + ".models}}\nmachines:\n");
            for (int i = 0; i < machines; i++) {
                yaml.append("  - {id: m-").append(i).append(", model: ").append(bundle.toAbsolutePath()).append("}\n");
            }
            configs.add(Files.writeString(home.resolve("vigil.yaml"), yaml));
        }
        System.out.printf("simulating %d s of a healthy and a faulty spindle ...%n", seconds + 2);
        List<Frame> healthy = simulate(seconds + 2, false);
        List<Frame> faulty = simulate(seconds + 2, true);
        System.out.println(heapSettings());
        List<Metrics> metrics = new ArrayList<>();
        List<Vertx> vertxes = new ArrayList<>();
        List<VigilServer> servers = new ArrayList<>();
        try {
            for (Path config : configs) {
                Metrics m = Metrics.create();
                Vertx vertx = VigilServer.newVertx(m);
                metrics.add(m);
                vertxes.add(vertx);
                RuntimeConfig rc = ConfigLoader.load(vertx, config, Map.of()).await(30, TimeUnit.SECONDS);
                servers.add(new VigilServer(vertx, rc, Clock.systemUTC(), m).start().await(120, TimeUnit.SECONDS));
            }
            HttpClient http = HttpClient.newHttpClient();
            long joinBy = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            for (VigilServer server : servers) {
                // ready: the group has given it partitions
                while (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    if (System.nanoTime() > joinBy) {
                        throw new IllegalStateException("the instances did not join their group in 2 minutes");
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            double samples0 = metrics.stream().mapToDouble(Metrics::samples).sum();
            System.out.printf("publishing %d machines for %d s to %s.frames, %d instance(s) scoring ...%n", machines,
                    seconds, run, instances);
            long startMillis = (System.currentTimeMillis() / 1000 + 2) * 1000;
            // the service's histogram at the end of the warm-up: the windows after it, as the client measures them
            // on the WebSocket path
            List<java.util.NavigableMap<Double, Double>> atWarmUp = new ArrayList<>();
            List<java.util.NavigableMap<Double, Double>> agesAtWarmUp = new ArrayList<>();
            var clock = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            clock.schedule(() -> metrics.forEach(m -> {
                atWarmUp.add(m.windowLatencyCounts());
                agesAtWarmUp.add(m.recordAgeCounts());
            }),
                    startMillis + warmUp * 1000L - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            KafkaLoad.Result r = new KafkaLoad(kafkaBatchKb * 1024).run(kafka, run + ".frames", "m", machines, seconds,
                    faultyEvery, startMillis, healthy, faulty);
            Thread.sleep(2000); // the last windows
            clock.shutdown();
            double wall = (System.nanoTime() - wall0) / 1e9;
            double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
            double scored = metrics.stream().mapToDouble(Metrics::samples).sum() - samples0;
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("%nmachines %d, channels 11 each, %d s, through Kafka %s, %d instance(s) in this process%n",
                    machines, seconds, kafka, instances);
            System.out.printf("sent        %.2f M samples/s acknowledged by the brokers (target %.2f M/s), behind "
                    + "schedule at the end: %.2f s%n", r.samplesPerSecond() / 1e6, machines * 106_850 / 1e6,
                    r.behindSeconds());
            System.out.printf("ingested    %.2f M samples/s (the instances' counters over the run)%n",
                    scored / r.seconds() / 1e6);
            for (int k = 0; k < instances; k++) {
                double[] steady = atWarmUp.size() == instances
                        ? LatencyBetween.of(atWarmUp.get(k), metrics.get(k).windowLatencyCounts()) : new double[4];
                System.out.printf("vigil-%d     window end -> assessment done, after %d s warm-up: %d windows, p50 <= %.0f "
                        + "ms, p99 <= %.0f ms, max <= %.0f ms (histogram bounds)%n", k, warmUp, (long) steady[0], steady[1],
                        steady[2], steady[3]);
                double[] w = metrics.get(k).windowLatencySummary();
                double[] a = metrics.get(k).alertLatencySummary();
                System.out.printf("vigil-%d     window end -> assessment done (last minutes): %d windows, p50 %.0f ms, "
                        + "p99 %.0f ms, max %.0f ms; alert changes %d, p99 %.1f ms%n", k, (long) w[0], w[1], w[2], w[3],
                        (long) a[0], a[2]);
                double[] age = agesAtWarmUp.size() == instances
                        ? LatencyBetween.of(agesAtWarmUp.get(k), metrics.get(k).recordAgeCounts()) : new double[4];
                System.out.printf("vigil-%d     frame record created -> taken from the consumer, after %d s warm-up: "
                        + "p50 <= %.0f ms, p99 <= %.0f ms, max <= %.0f ms%n", k, warmUp, age[1], age[2], age[3]);
            }
            System.out.printf("process     %.2f cores (instances and gateways; the broker apart), heap after GC %d MB, "
                    + "RSS %s%n", cores, heap >> 20, rss());
            for (VigilServer server : servers) {
                server.stop().await(30, TimeUnit.SECONDS);
            }
        } finally {
            for (Vertx v : vertxes) {
                v.close().await(30, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    /**
     * The transport's ceiling: the same machines' frames, unpaced, into a {@link NullServer} on its own Vert.x (one
     * server verticle, as Vigil's), before Vigil starts so neither slows the other; samples per second it took.
     */
    private double ceiling(List<Frame> healthy, List<Frame> faulty) throws Exception {
        Vertx vertx = Vertx.vertx();
        Vertx generator = Vertx.vertx();
        try {
            NullServer sink = new NullServer(1 << 20);
            vertx.deployVerticle(sink).await(30, TimeUnit.SECONDS);
            int frames = Math.min(seconds, CEILING_SECONDS);
            System.out.printf("ceiling: %d machines' %d s of frames, unpaced, into a server that decodes and sums ...%n",
                    machines, frames);
            LoadGenerator.Result r = new LoadGenerator(generator).run(new LoadGenerator.Plan("127.0.0.1", sink.port(),
                    false, null, "m", machines, frames, faultyEvery, false, 0), healthy, faulty);
            try {
                sink.whenTaken(r.samplesSent()).get(60, TimeUnit.SECONDS); // what was sent may still be on its way
            } catch (TimeoutException e) {
                // reported below with the counts
            }
            if (sink.samples() != r.samplesSent() || sink.refused() > 0) {
                throw new IllegalStateException("the ceiling server took " + sink.samples() + " of " + r.samplesSent()
                        + " samples (" + sink.refused() + " messages refused)");
            }
            System.out.printf("ceiling     %.2f M samples/s (null server: decode and sum; sent in %.1f s)%n",
                    sink.samplesPerSecond() / 1e6, r.seconds());
            return sink.samplesPerSecond();
        } finally {
            generator.close().await(30, TimeUnit.SECONDS);
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private static List<Frame> simulate(int seconds, boolean faulty) {
        return LoadGenerator.simulate("spindle-7", seconds, faulty, faulty ? 8L : 7L);
    }

    /**
     * The heap this run had: a heap that grows under the full load is paid in page faults, in kernel time on the
     * same cores, and a start that falls seconds behind (docs/PERFORMANCE.md); the figures say which they had.
     */
    private static String heapSettings() {
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean touched = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .getVMOption("AlwaysPreTouch").getValue().equals("true");
        return String.format(Locale.ROOT, "heap        initial %d MB, max %d MB, %s", heap.getInit() >> 20,
                heap.getMax() >> 20, touched ? "pre-touched" : "not pre-touched (the start under full load pays for "
                        + "its growth: JAVA_OPTS=\"-Xms<max> -XX:+AlwaysPreTouch\", docs/CONFIG.md)");
    }

    /** Resident set size now and at its peak, from /proc (Linux). */
    private static String rss() {
        try {
            String now = "?";
            String peak = "?";
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    now = line.substring(6).trim();
                } else if (line.startsWith("VmHWM:")) {
                    peak = line.substring(6).trim();
                }
            }
            return now + " (peak " + peak + ")";
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
