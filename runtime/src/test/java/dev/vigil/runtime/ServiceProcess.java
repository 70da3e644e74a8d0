package dev.vigil.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: `vigil serve` in its own JVM (the test classpath), to be killed like a real process. */
public final class ServiceProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("vigil serving \\d+ machines on http://[^:]+:(\\d+)");
    private final Process process;
    private final int port;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the service and waits until it says where it listens; its output is drained from then on. */
    public static ServiceProcess start(Path config) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.vigil.runtime.cli.RuntimeCli", "serve",
                "--config", config.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        int port = -1;
        for (String line; port < 0 && (line = out.readLine()) != null; ) {
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
        }
        if (port < 0) {
            p.destroyForcibly();
            throw new IOException("the service exited without serving");
        }
        // kept beside the configuration, for a failing test's reader
        Path log = config.toAbsolutePath().getParent().resolve("service.log");
        Thread drain = new Thread(() -> {
            try (var w = java.nio.file.Files.newBufferedWriter(log, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND)) {
                for (String line; (line = out.readLine()) != null; ) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                }
            } catch (IOException e) {
                // the process is gone or the directory deleted: nothing more to keep
            }
        });
        drain.setDaemon(true);
        drain.start();
        return new ServiceProcess(p, port);
    }

    public int port() {
        return port;
    }

    /** SIGKILL (on Linux): no shutdown hook runs, nothing is flushed; returns the exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not die");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
