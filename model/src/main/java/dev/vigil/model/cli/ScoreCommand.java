package dev.vigil.model.cli;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Scoring;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vigil score}. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score a recording or CSV with a bundle. One output row per window (waveform) or input row "
                + "(tabular): timestamp,score,threshold,anomaly,top_contributor,notes.",
                "score is the smoothed score the threshold (the warning level) applies to; anomaly is 1 while the "
                        + "alarm is raised. Windows with a sensor problem are not scored: empty score, anomaly 0, "
                        + "top_contributor sensor:<problem>:<channel>. Windows in which a rotating machine changed "
                        + "speed, program step or tool are not scored either: empty score, the alarm state carried "
                        + "over, top_contributor transient."})
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Bundle (.zip).")
    Path model;

    @Option(names = "--input", required = true, description = "Recording directory or CSV file.")
    Path input;

    @Option(names = "--out", required = true, description = "Predictions CSV to write.")
    Path out;

    @Option(names = "--follow-drift", description = "Follow slow healthy drift (docs/MODEL.md): learn a capped "
            + "baseline offset from windows well below warning, never while alarmed.")
    boolean followDrift;

    @Override
    public Integer call() throws Exception {
        Bundle bundle = Bundle.read(model);
        long[] alarms = new long[2];
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                     .setHeader("timestamp", "score", "threshold", "anomaly", "top_contributor", "notes").get())) {
            Scoring.run(bundle.model(), input, null, followDrift ? DriftFollower.Settings.defaults() : null, (lo, a) -> {
                try {
                    boolean scored = a.score() == a.score();
                    p.printRecord(timestamp(a), scored ? num(a.smoothed()) : "", num(a.warning()),
                            a.alarm() && a.sensorIssue() == null ? 1 : 0, a.topContributor(), String.join("; ", a.notes()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                alarms[0]++;
                alarms[1] += a.alarm() && a.sensorIssue() == null ? 1 : 0;
            });
        } catch (RuntimeException | java.io.IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(Locale.ROOT, "wrote %s: %d rows, %d in alarm%n", out, alarms[0], alarms[1]);
        return 0;
    }

    static String timestamp(Assessment a) {
        return a.epochMillis() == Long.MIN_VALUE ? String.valueOf(a.index()) : Instant.ofEpochMilli(a.epochMillis()).toString();
    }

    static String num(double v) {
        return v != v ? "" : String.format(Locale.ROOT, "%.5g", v);
    }
}
