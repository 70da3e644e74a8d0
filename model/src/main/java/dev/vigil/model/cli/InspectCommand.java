package dev.vigil.model.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.model.bundle.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vigil inspect}. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print a bundle's manifest readably.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Bundle (.zip).")
    Path bundle;

    @Option(names = "--json", description = "Print the whole manifest as JSON instead.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Bundle b = Bundle.read(bundle);
        JsonNode m = b.manifest();
        if (json) {
            System.out.println(m.toPrettyString());
            return 0;
        }
        JsonNode in = m.get("input");
        JsonNode t = m.get("training");
        JsonNode cal = m.get("calibration");
        System.out.printf(Locale.ROOT, "bundle        %s (format %d, Vigil %s, created %s)%n", bundle,
                m.path("formatVersion").asInt(), m.path("vigilVersion").asText(), m.path("createdAt").asText());
        System.out.printf(Locale.ROOT, "detector      %s %s%n", m.path("detector").path("name").asText(),
                m.path("detector").path("hyperParameters"));
        if (in.path("inputKind").asText().equals("waveform")) {
            System.out.printf(Locale.ROOT, "input         waveform, window %.3f s, hop %.3f s%n",
                    in.path("windowSeconds").asDouble(), in.path("hopSeconds").asDouble());
            for (JsonNode c : in.path("channels")) {
                System.out.printf(Locale.ROOT, "  channel     %-14s %-6s %9.1f Hz  %s%n", c.path("name").asText(),
                        c.path("unit").asText(), c.path("sampleRateHz").asDouble(), c.path("use").asText());
            }
            if (in.hasNonNull("bearing")) {
                System.out.printf(Locale.ROOT, "  bearing     %s%n", in.get("bearing"));
            }
        } else {
            System.out.printf(Locale.ROOT, "input         tabular, window %d rows, timestamp %s%n",
                    in.path("tabularWindowRows").asInt(), in.path("timestampColumn").asText("none"));
            System.out.printf(Locale.ROOT, "  columns     %s%n", in.path("tabularColumns"));
            System.out.printf(Locale.ROOT, "  context     %s %s%n", in.path("contextColumns"), in.path("categoricalContextColumns"));
        }
        System.out.printf(Locale.ROOT, "features      %d%n", m.path("features").size());
        System.out.printf(Locale.ROOT, "context       numeric %s, categorical %s%n", m.path("context").path("numeric"),
                m.path("context").path("categorical"));
        System.out.printf(Locale.ROOT, "thresholds    warning %.4f, critical %.4f (%s; alpha %.2f, raise after %d, clear after %d)%n",
                cal.path("warning").asDouble(), cal.path("critical").asDouble(), cal.path("tail").path("method").asText(),
                cal.path("alpha").asDouble(), cal.path("raiseAfter").asInt(), cal.path("clearAfter").asInt());
        JsonNode tm = t.path("metrics");
        if (tm.has("falseAlarmsPerWeek")) {
            System.out.printf(Locale.ROOT, "false alarms  about %.3g per week expected at the warning level on healthy running "
                            + "like the latest training data (one %s every %.3g s; set with --false-alarms-per-week)%n",
                    tm.path("falseAlarmsPerWeek").asDouble(), in.path("inputKind").asText().equals("waveform") ? "window" : "row",
                    tm.path("stepSeconds").asDouble());
        } else {
            System.out.printf(Locale.ROOT, "false alarms  not recorded (bundle trained before the false-alarm target existed: "
                    + "levels at 1e-4 per window)%n");
        }
        System.out.printf(Locale.ROOT, "training      %d observations, %d healthy, %.1f s, seed %d%n",
                t.path("observations").asLong(), t.path("healthy").asLong(), t.path("seconds").asDouble(), m.path("seed").asLong());
        for (JsonNode i : t.path("inputs")) {
            System.out.printf(Locale.ROOT, "  input       %s  sha256 %s%n", i.path("path").asText(), i.path("sha256").asText());
        }
        System.out.printf(Locale.ROOT, "data quality  %d warnings%n", m.path("dataQuality").path("findings").size());
        for (JsonNode f : m.path("dataQuality").path("findings")) {
            System.out.printf(Locale.ROOT, "  %-7s     %s %s %s%n", f.path("level").asText(), f.path("column").asText(),
                    f.path("rows").asText(), f.path("problem").asText());
        }
        System.out.printf(Locale.ROOT, "libraries     %s%n", m.path("libraries"));
        return 0;
    }
}
