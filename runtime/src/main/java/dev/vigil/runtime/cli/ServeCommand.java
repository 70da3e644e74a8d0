package dev.vigil.runtime.cli;

import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.ops.Metrics;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code vigil serve --config vigil.yaml [--check-config]}, or {@code vigil serve --check-config vigil.yaml}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Vigil service: ingest frames, score them with each machine's bundle, keep alerts.",
                "Environment overrides: VIGIL_HTTP__PORT=9090 sets http.port (double underscore between levels)."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--check-config", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "Validate the configuration (this file, or --config) and the bundles it names, then exit.")
    String checkConfig;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean check = checkConfig != null;
        if (check && !checkConfig.isEmpty()) {
            if (config != null && !config.equals(Path.of(checkConfig))) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--config " + config + " and --check-config " + checkConfig + " name different files");
            }
            config = Path.of(checkConfig);
        }
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=<config>'");
        }
        Metrics metrics = Metrics.create();
        Vertx vertx = VigilServer.newVertx(metrics);
        try {
            if (check) {
                // every problem in one run, structural and semantic (a bad port does not hide a missing bundle)
                List<String> problems = ConfigLoader.check(vertx, config, System.getenv()).await(60, TimeUnit.SECONDS);
                if (!problems.isEmpty()) {
                    throw new IllegalArgumentException(config + ": " + problems.size() + " problem"
                            + (problems.size() == 1 ? "" : "s") + ":\n  " + String.join("\n  ", problems));
                }
            }
            RuntimeConfig rc = ConfigLoader.load(vertx, config, System.getenv()).await(30, TimeUnit.SECONDS);
            if (check) {
                System.out.printf("%s: valid (%d machines, store %s, http %s:%d)%n", config, rc.machines().size(),
                        rc.storePath(), rc.host(), rc.port());
                return 0;
            }
            VigilServer server = new VigilServer(vertx, rc, Clock.systemUTC(), metrics).start().await(120, TimeUnit.SECONDS);
            System.out.printf("vigil serving %d machines on http://%s:%d (store %s)%n", rc.machines().size(), rc.host(),
                    server.port(), rc.storePath());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop().await(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    System.err.println("vigil: store did not close within 10 s");
                }
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            if (check) {
                vertx.close();
            }
        }
    }
}
