package dev.vigil.model.cli;

import dev.vigil.model.data.InputOptions;
import dev.vigil.model.explain.IsoZone;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.model.train.TrainingDataException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vigil train}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train an anomaly-detection model on healthy recordings or CSV files and write a bundle.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, arity = "1..*", description = "Recording directories or CSV files.")
    List<Path> inputs;

    @Option(names = "--out", required = true, description = "Bundle to write (.zip).")
    Path out;

    @Option(names = "--detector", defaultValue = "auto",
            description = "autoencoder, sequence-autoencoder, pca or auto (default: ${DEFAULT-VALUE}: autoencoder for "
                    + "recordings, sequence-autoencoder for CSV files; pca up to 300 healthy windows of a recording or 1,000 "
                    + "healthy rows of a CSV file).")
    String detector;

    @Option(names = "--timestamp", description = "CSV timestamp column (default: detected by name).")
    String timestamp;

    @Option(names = "--ignore", split = ",", description = "Columns or channels to leave out.")
    List<String> ignore;

    @Option(names = "--context", split = ",", description = "Operating-context columns (speed, load, program, tool; "
            + "numeric or text): they condition the model and are not scored.")
    List<String> context;

    @Option(names = "--label", description = "CSV label column: only rows labelled 0 (or normal/ok/empty) are fitted.")
    String label;

    @Option(names = "--separator", description = "CSV separator: , ; or tab (default: detected).")
    String separator;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--window", description = "Waveform window in seconds (default: 1, or for a robot room for one "
            + "motion cycle as found in its joint positions, features over exactly that cycle).")
    Double window;

    @Option(names = "--hop", description = "Waveform hop in seconds (default: the window, or half a robot's cycle).")
    Double hop;

    @Option(names = "--rows", defaultValue = "10", description = "Tabular window K in rows (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--iso-class", description = "ISO 10816 machine class for zone reporting: group1-rigid, "
            + "group1-flexible, group2-rigid, group2-flexible, small.")
    String isoClass;

    @Option(names = "--false-alarms-per-week", defaultValue = "1", description = "How many false alarms per week the "
            + "warning level may give on healthy running like the training data's latest part (default: "
            + "${DEFAULT-VALUE}); lower means higher levels, later alarms. `vigil inspect` shows it.")
    double falseAlarmsPerWeek;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        InputOptions in = new InputOptions(timestamp, Csv.names(ignore), Csv.names(context), label, Csv.separator(separator));
        if (window != null && !(window > 0) || hop != null && !(hop > 0)) {
            throw new IllegalArgumentException("--window and --hop must be positive numbers of seconds");
        }
        double w = window == null ? TrainOptions.AUTO_SECONDS : window;
        double h = hop != null ? hop : window != null ? window : TrainOptions.AUTO_SECONDS;
        TrainOptions options = new TrainOptions(inputs, in, detector, seed, w, h, rows,
                isoClass == null ? null : IsoZone.MachineClass.parse(isoClass), 200_000, falseAlarmsPerWeek);
        ProgressBar[] bar = new ProgressBar[1];
        Trainer trainer = new Trainer(options, (epoch, max, trainLoss, valLoss) -> {
            if (quiet) {
                return;
            }
            if (bar[0] == null) {
                bar[0] = new ProgressBarBuilder().setTaskName("train").setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUnit(" epochs", 1).build();
            }
            bar[0].stepTo(epoch);
            bar[0].setExtraMessage(String.format(Locale.ROOT, "val loss %.4f", valLoss));
        }, msg -> System.err.println(msg));
        Trainer.Result r;
        try {
            r = trainer.trainTo(out);
        } catch (TrainingDataException e) {
            System.err.println("error: training stopped by the data-quality check:");
            e.report().errors().forEach(f -> System.err.println("error: " + f.line()));
            return 2;
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        var rec = r.record();
        var cal = r.model().calibration();
        System.out.printf(Locale.ROOT, "wrote %s%n", out);
        System.out.printf(Locale.ROOT, "  detector      %s%n", r.model().detector().name());
        System.out.printf(Locale.ROOT, "  observations  %d read, %d healthy (%d fit, %d validation, %d calibration), "
                        + "%d labelled anomalous and %d with sensor problems left out%n", rec.observations(), rec.healthy(),
                rec.fit(), rec.validation(), rec.calibration(), rec.excludedLabelled(), rec.excludedSensor());
        System.out.printf(Locale.ROOT, "  features      %d (context: %s)%n", r.model().features().size(),
                join(r.model().numericContext(), r.model().categoricalContext()));
        Object epochs = rec.metrics().get("epochsRun");
        if (epochs != null) {
            System.out.printf(Locale.ROOT, "  epochs        %s, best validation loss %.4f%n", epochs,
                    ((Number) rec.metrics().get("bestValidationLoss")).doubleValue());
        }
        System.out.printf(Locale.ROOT, "  thresholds    warning %.3f, critical %.3f (%s tail fit, smoothing alpha %.2f)%n",
                cal.warning(), cal.critical(), cal.tail().method(), cal.alpha());
        System.out.printf(Locale.ROOT, "  warnings      %d data-quality warnings%n", r.quality().warnings().size());
        System.out.printf(Locale.ROOT, "  time          %.1f s%n", rec.seconds());
        return 0;
    }

    private static String join(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all.isEmpty() ? "none" : String.join(", ", all);
    }
}
