package dev.vigil.runtime.demo;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.data.RecordingInput;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.scheduler.ReferenceScheduler;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.sim.Simulation;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.vertx.core.Vertx;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * {@code vigil demo}: trains a model per demo machine on its own simulated healthy running (once; later runs reuse
 * the bundles), then starts an MQTT broker, the reference scheduler, the runtime and the simulated fleet, all in
 * this process, and keeps them running until {@link #stop()}. Everything lives under one work directory.
 */
public final class Demo {
    /** The demo's engineer, device, scheduler and admin tokens: the same on every run of one work directory. */
    record Credentials(String engineer, String device, String scheduler, String admin, String webhookSecret) {
    }

    /** Where the demo listens. */
    public record Ports(int http, int scheduler, int mqtt) {
    }

    private static final double HEALTHY_SECONDS = 900;
    private final double healthySeconds;
    private static final double FLEET_LIFE_SECONDS = 12 * 3600;
    private final Path dir;
    private final Ports ports;
    private final PrintStream out;
    private final List<DemoMachine> machines = DemoMachine.fleet();
    private Server broker;
    private Vertx vertx;
    private VigilServer server;
    private DemoFleet fleet;
    private int schedulerPort;

    public Demo(Path dir, Ports ports, PrintStream out) {
        this(dir, ports, out, HEALTHY_SECONDS);
    }

    /** @param healthySeconds how much healthy running each model is trained on (tests use less) */
    Demo(Path dir, Ports ports, PrintStream out, double healthySeconds) {
        this.dir = dir.toAbsolutePath().normalize();
        this.ports = ports;
        this.out = out;
        this.healthySeconds = healthySeconds;
    }

    /** Trains what is missing, starts everything, prints where to look. */
    public void start() throws Exception {
        checkFree(ports.http(), "--port");
        checkFree(ports.scheduler(), "--scheduler-port");
        checkFree(ports.mqtt(), "--mqtt-port");
        Files.createDirectories(dir.resolve("models"));
        for (DemoMachine m : machines) {
            model(m);
        }
        Credentials c = credentials();
        // every run tells the story from the start: a fresh store (alerts, history); models and tokens stay
        dev.vigil.runtime.ops.Directories.deleteTree(dir.resolve("data"));

        int mqttPort = ports.mqtt() == 0 ? freePort() : ports.mqtt();
        broker = new Server();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(mqttPort));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", Files.createDirectories(dir.resolve("broker")).toString());
        p.setProperty("netty.mqtt.message_size", String.valueOf(4 << 20));
        broker.startServer(new MemoryConfig(p));

        Metrics metrics = Metrics.create();
        vertx = VigilServer.newVertx(metrics);
        ReferenceScheduler scheduler = new ReferenceScheduler(c.webhookSecret(), ports.scheduler());
        vertx.deployVerticle(scheduler).await(30, TimeUnit.SECONDS);
        schedulerPort = scheduler.actualPort();
        Path yaml = writeConfig(c, mqttPort);
        RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(30, TimeUnit.SECONDS);
        server = new VigilServer(vertx, config, Clock.systemUTC(), metrics).start().await(120, TimeUnit.SECONDS);
        scheduler.confirmTo("http://127.0.0.1:" + server.port(), c.scheduler());
        fleet = new DemoFleet(vertx);
        fleet.start(machines, server.port(), c.device(), mqttPort, FLEET_LIFE_SECONDS);
        banner(c, mqttPort);
    }

    /** Stops the fleet, the runtime (closing its store), the scheduler and the broker. */
    public void stop() {
        if (fleet != null) {
            fleet.stop();
        }
        try {
            if (server != null) {
                server.stop().await(15, TimeUnit.SECONDS);
            }
            if (vertx != null) {
                vertx.close().await(15, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            out.println("vigil demo: stopping: " + e);
        }
        if (broker != null) {
            broker.stopServer();
        }
    }

    public int schedulerPort() {
        return schedulerPort;
    }

    public int httpPort() {
        return server.port();
    }

    public Path directory() {
        return dir;
    }

    String engineerToken() throws IOException {
        return credentials().engineer();
    }

    /** A robot model (joint positions) whose windows still are the fixed 1 s of older versions does not. */
    private static boolean followsMotionCycle(Bundle b) {
        FeatureSpec spec = b.model().spec();
        boolean robot = spec.channels().stream().anyMatch(c -> c.use().equals(FeatureSpec.ChannelUse.POSITION));
        return !robot || spec.windowSeconds() != RecordingInput.DEFAULT_WINDOW_S;
    }

    private Bundle model(DemoMachine m) throws IOException {
        Path zip = dir.resolve("models").resolve(m.id() + ".zip");
        if (Files.exists(zip)) {
            try {
                Bundle b = Bundle.read(zip);
                if (!followsMotionCycle(b)) {
                    out.println("vigil demo: " + zip + " was trained before robot windows followed the motion cycle; "
                            + "training it again");
                } else {
                    return b;
                }
            } catch (IOException | RuntimeException broken) {
                out.println("vigil demo: " + zip + " is unreadable (" + broken.getMessage() + "); training it again");
            }
        }
        Path healthy = dir.resolve("healthy").resolve(m.id());
        Simulation sim = Simulation.builder(m.spec()).lifeDurationS(healthySeconds).seed(m.seed() + 1000).build();
        try (ProgressBar bar = bar("simulate " + m.id(), sim.blockCount(), " blocks")) {
            sim.writeRecording(healthy, bar::stepTo);
        }
        ProgressBar[] train = new ProgressBar[1];
        Path tmp = zip.resolveSibling(m.id() + ".zip.tmp");
        try {
            new Trainer(TrainOptions.of(List.of(healthy)), (epoch, max, trainLoss, valLoss) -> {
                if (train[0] == null) {
                    train[0] = bar("train " + m.id(), max, " epochs");
                }
                train[0].stepTo(epoch);
            }, s -> { }).trainTo(tmp);
        } finally {
            if (train[0] != null) {
                // early stopping ends before the epoch budget: the bar ends full all the same
                train[0].stepTo(train[0].getMax());
                train[0].setExtraMessage("done");
                train[0].close();
            }
        }
        // written whole or not at all: an interrupted first run trains again next time
        Files.move(tmp, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return Bundle.read(zip);
    }

    private ProgressBar bar(String task, long max, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUnit(unit, 1).build();
    }

    Credentials credentials() throws IOException {
        Path file = dir.resolve("tokens.properties");
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        }
        SecureRandom random = new SecureRandom();
        boolean changed = false;
        for (String k : List.of("engineer", "device", "scheduler", "admin", "webhookSecret")) {
            if (p.getProperty(k) == null) {
                p.setProperty(k, Tokens.generate(random));
                changed = true;
            }
        }
        if (changed) {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, "vigil demo tokens (local demo only)");
            }
        }
        return new Credentials(p.getProperty("engineer"), p.getProperty("device"), p.getProperty("scheduler"),
                p.getProperty("admin"), p.getProperty("webhookSecret"));
    }

    private Path writeConfig(Credentials c, int mqttPort) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("# written by `vigil demo` on every start; see docs/CONFIG.md\n");
        y.append("http: {host: 127.0.0.1, port: ").append(ports.http()).append("}\n");
        y.append("storage: {path: data/vigil.db}\n");
        y.append("recording: {enabled: true, path: data/recordings, quotaMb: 512}\n");
        y.append("alerts: {staleAfterSeconds: 15}\n");
        y.append("mqtt: {host: 127.0.0.1, port: ").append(mqttPort).append("}\n");
        y.append("scheduler:\n  site: demo\n  recoveryMinutes: 2\n  endpoints:\n");
        y.append("    - {name: reference-scheduler, url: \"http://127.0.0.1:").append(schedulerPort)
                .append("/hooks\", secret: ").append(c.webhookSecret()).append("}\n");
        y.append("machines:\n");
        for (DemoMachine m : machines) {
            y.append("  - {id: ").append(m.id()).append(", kind: ").append(m.kind()).append(", tenant: ")
                    .append(m.kind().equals("robot") ? "assembly" : "machining").append(", model: models/")
                    .append(m.id()).append(".zip}\n");
        }
        y.append("auth:\n  tokens:\n");
        y.append("    - {name: demo-engineer, role: engineer, sha256: ").append(Tokens.sha256(c.engineer())).append("}\n");
        y.append("    - {name: demo-gateway, role: device, machines: [")
                .append(String.join(", ", machines.stream().map(DemoMachine::id).toList())).append("], sha256: ")
                .append(Tokens.sha256(c.device())).append("}\n");
        y.append("    - {name: demo-platform, role: scheduler, sha256: ").append(Tokens.sha256(c.scheduler())).append("}\n");
        y.append("    - {name: demo-admin, role: admin, sha256: ").append(Tokens.sha256(c.admin())).append("}\n");
        Path yaml = dir.resolve("vigil.yaml");
        Files.writeString(yaml, y);
        return yaml;
    }

    private void banner(Credentials c, int mqttPort) {
        String url = "http://127.0.0.1:" + server.port() + "/dashboard/#token=" + c.engineer();
        out.println();
        out.println("Vigil demo is running (Ctrl-C stops everything).");
        out.println();
        out.println("  Dashboard:            " + url);
        out.println("  API (engineer token): curl -H 'Authorization: Bearer " + c.engineer() + "' http://127.0.0.1:"
                + server.port() + "/api/v1/machines");
        out.println("  Reference scheduler:  http://127.0.0.1:" + schedulerPort + "/state  (what it excluded and why)");
        out.println("  MQTT broker:          127.0.0.1:" + mqttPort + "  (topics vigil/<machine>/<channel>)");
        out.println("  Work directory:       " + dir + "  (config, models, tokens, SQLite store, recordings, vigil.log)");
        out.println();
        out.println("What to watch:");
        for (DemoMachine m : machines) {
            out.printf("  %-10s %-6s via %-9s %s%n", m.id(), m.kind(), m.transport().name().toLowerCase(), m.story());
        }
        out.println("  Acknowledge an alert on the dashboard: the machine turns in-maintenance and the scheduler keeps it");
        out.println("  excluded; resolve it with a verdict and the scheduler re-admits it.");
        out.println();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void checkFree(int port, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " is in use; pick another with " + option);
        }
    }
}
