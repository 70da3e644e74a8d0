package dev.vigil.runtime;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.awaitility.Awaitility.await;

/** Test helper: an in-process MQTT broker (Moquette) on loopback, anonymous, in memory, frames up to 4 MB. */
public final class TestBroker {
    private TestBroker() {
    }

    /**
     * A port free now, for a broker in another process that cannot report a port it bound as 0 (Mosquitto). The
     * in-process broker binds 0 ({@link #settings} with port 0) and tells its port ({@code Server.getPort()}).
     */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The broker's settings (port 0: any free one); a test adds its own (TLS) before {@link #start}. */
    public static Properties settings(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir); // Moquette writes its id there, and logs an error when it cannot
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("data_path", dataDir.toString());
        p.setProperty("netty.mqtt.message_size", String.valueOf(4 << 20));
        return p;
    }

    /**
     * Starts the broker and returns once it knows the ports it bound: Moquette reads a port bound as 0 when the
     * bind completes, after {@code startServer} has returned, so {@code getPort()} right away may still say 0.
     */
    public static Server start(Properties settings) throws IOException {
        Server broker = new Server();
        broker.startServer(new MemoryConfig(settings));
        boolean tls = settings.getProperty("ssl_port") != null;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> broker.getPort() > 0 && (!tls || broker.getSslPort() > 0));
        return broker;
    }
}
