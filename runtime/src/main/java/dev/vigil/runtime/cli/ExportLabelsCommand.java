package dev.vigil.runtime.cli;

import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.record.LabelExport;
import dev.vigil.runtime.store.AlertStore;
import dev.vigil.runtime.store.EventStore;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code vigil export-labels --config vigil.yaml --out feedback.csv [--machine ID]}. */
@Command(name = "export-labels", mixinStandardHelpOptions = true,
        description = {"Turn engineers' verdicts into training labels: labels.csv in each resolved alert's recording",
                "(confirmed: the fault from the alert's start; false alarm: healthy) and a summary CSV of every",
                "resolved alert. Safe while the service runs. Retrain with: vigil train <recording dirs>."})
public final class ExportLabelsCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The service's configuration (for the store and recordings).")
    Path config;

    @Option(names = "--out", required = true, description = "Summary CSV to write.")
    Path out;

    @Option(names = "--machine", description = "Only this machine's alerts.")
    String machine;

    @Override
    public Integer call() throws Exception {
        Vertx vertx = Vertx.vertx();
        RuntimeConfig rc;
        try {
            rc = ConfigLoader.load(vertx, config, System.getenv()).await(30, TimeUnit.SECONDS);
        } finally {
            vertx.close();
        }
        if (!Files.isRegularFile(rc.storePath())) {
            throw new IllegalArgumentException(rc.storePath() + ": no store yet (has the service run?)");
        }
        if (rc.recording() == null) {
            throw new IllegalArgumentException(config + ": recording is disabled, so there is nothing to label");
        }
        List<Alert> resolved;
        try (EventStore store = EventStore.open(rc.storePath())) {
            resolved = store.alerts().list(new AlertStore.Query(machine == null ? null : List.of(machine), false, null, null, null,
                    1_000_000)).stream().filter(a -> !a.open()).toList();
        }
        int labelled;
        try (Writer w = Files.newBufferedWriter(out)) {
            labelled = new LabelExport(rc.recording().dir()).export(resolved, w);
        }
        System.out.printf("%d resolved alerts listed in %s; %d recordings labelled under %s%n", resolved.size(), out,
                labelled, rc.recording().dir());
        return 0;
    }
}
