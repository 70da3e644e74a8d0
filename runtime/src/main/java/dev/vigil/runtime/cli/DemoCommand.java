package dev.vigil.runtime.cli;

import dev.vigil.runtime.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vigil demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Vigil with a simulated fleet: trains a model per machine (first run only), then starts an "
                + "MQTT broker, the reference scheduler, the service and 4 CNC spindles and 2 robots streaming live over "
                + "WebSocket and MQTT. Within about 5 minutes one spindle develops an outer-race bearing fault, one "
                + "tool wear, and a robot loses a sensor. Ctrl-C stops everything."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dir", defaultValue = "vigil-demo",
            description = "Work directory: models, tokens, config, SQLite store (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--port", defaultValue = "8080", description = "Service and dashboard port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--scheduler-port", defaultValue = "8090",
            description = "Reference scheduler port (default: ${DEFAULT-VALUE}).")
    int schedulerPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "MQTT broker port (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Override
    public Integer call() throws Exception {
        java.nio.file.Files.createDirectories(dir);
        // read by logback-demo.xml when the first logger is made, which is after this
        System.setProperty("vigil.demo.log", dir.toAbsolutePath().resolve("vigil.log").toString());
        Demo demo = new Demo(dir, new Demo.Ports(port, schedulerPort, mqttPort), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nvigil demo: stopping...");
            demo.stop();
            System.out.println("vigil demo: stopped; the store and models stay in " + demo.directory());
            stopped.countDown();
        }));
        demo.start();
        stopped.await();
        return 0;
    }
}
