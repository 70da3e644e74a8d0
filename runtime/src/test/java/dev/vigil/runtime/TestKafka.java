package dev.vigil.runtime;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: a real Apache Kafka broker in KRaft mode (broker and controller in one node), in its own JVM from
 * the test classpath ({@code org.apache.kafka:kafka_2.13}), its storage formatted first as an operator would
 * ({@code kafka-storage format --standalone}). It can be killed like a real one; its log is kept in its directory.
 */
public final class TestKafka implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private TestKafka(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Formats a fresh log directory under {@code dir}, starts the broker and waits until it answers. */
    public static TestKafka start(Path dir) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        int controller = freePort();
        Path logs = Files.createDirectories(dir.resolve("kafka-logs"));
        Path props = Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=1",
                // one broker: the internal topics cannot have more replicas
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                // a group that forms at once: tests wait for their instances, not for a delay meant for restarts
                "group.initial.rebalance.delay.ms=0",
                ""));
        String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        Process format = java(dir.resolve("format.log"), "kafka.tools.StorageTool", "format", "--standalone",
                "-t", clusterId, "-c", props.toString());
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IOException("kafka-storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
        Process broker = java(dir.resolve("broker.log"), "kafka.Kafka", props.toString());
        TestKafka kafka = new TestKafka(dir, port, broker);
        try {
            kafka.awaitReady(Duration.ofMinutes(2));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private static Process java(Path log, String main, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitReady(Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("the broker exited (" + process.exitValue() + "): " + log());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000))) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IOException("the broker did not answer within " + timeout + ": " + last + "\n" + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A broker for one test class: {@code @RegisterExtension static final TestKafka.PerClass KAFKA = new
     * TestKafka.PerClass();} starts it before the class's tests (in a fresh directory under target/) and stops it
     * after them.
     */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private TestKafka broker;

        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            broker = start(Files.createTempDirectory(Files.createDirectories(Path.of("target", "kafka")),
                    context.getRequiredTestClass().getSimpleName() + "-"));
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (broker != null) {
                broker.close();
            }
        }

        public String bootstrap() {
            return broker.bootstrap();
        }
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The broker's own log (to explain a failure). */
    public String log() throws IOException {
        Path log = dir.resolve("broker.log");
        if (!Files.exists(log)) {
            return "";
        }
        String text = Files.readString(log);
        return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
    }

    /**
     * Stops the broker and deletes its log segments (a cluster test leaves close to a gigabyte of frames: a few
     * runs filled the disk); its own log stays beside them, to explain a failure.
     */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("kafka-logs"))) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // left for `mvn clean`
        }
    }
}
