package dev.vigil.runtime.cli;

import dev.vigil.runtime.scheduler.ReferenceScheduler;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code vigil reference-scheduler}: the example scheduler integration (docs/SCHEDULER.md) as its own process. */
@Command(name = "reference-scheduler", mixinStandardHelpOptions = true,
        description = {"Run the reference scheduler: receives Vigil's signed webhooks at /hooks, keeps the set of "
                + "excluded machines and a toy booking table (POST /bookings, GET /state). The webhook secret comes "
                + "from the environment variable VIGIL_WEBHOOK_SECRET (never a command-line argument)."})
final class ReferenceSchedulerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Listen address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--confirm-to", paramLabel = "URL",
            description = "Vigil's base URL: confirm each exclusion there (POST /api/v1/availability/{machine}/ack) "
                    + "with the scheduler token in VIGIL_SCHEDULER_TOKEN.")
    String confirmTo;

    @Override
    public Integer call() throws Exception {
        String secret = System.getenv("VIGIL_WEBHOOK_SECRET");
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("VIGIL_WEBHOOK_SECRET: set it to the endpoint's secret in vigil.yaml "
                    + "(at least 16 characters)");
        }
        Vertx vertx = Vertx.vertx();
        ReferenceScheduler scheduler = new ReferenceScheduler(secret, host, port);
        if (confirmTo != null) {
            String token = System.getenv("VIGIL_SCHEDULER_TOKEN");
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--confirm-to: set VIGIL_SCHEDULER_TOKEN to a scheduler token");
            }
            scheduler.confirmTo(confirmTo.replaceAll("/+$", ""), token);
        }
        vertx.deployVerticle(scheduler).await(30, TimeUnit.SECONDS);
        System.out.println("reference scheduler on http://" + host + ":" + scheduler.actualPort() + " (webhooks at /hooks, state at /state)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("reference scheduler: " + e);
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
