package dev.vigil.model.realdata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs every real-data protocol whose files are in the cache and writes the quality report.
 *
 * <p>The cache holds plain files (scripts/eval-real-data fills it): {@code cwru/1797_*.npz},
 * {@code ims/test{1,2,3}_raw.csv}, {@code ims-raw/{begin,center,end}/<snapshot>}, {@code nab/machine_temperature_system_failure.csv} and
 * {@code nab/combined_windows.json}. A dataset whose files are missing is listed as not run.
 */
public final class RealDataEvaluation {
    /** A dataset's name and how to run it. */
    private record Protocol(String name, String folder, Runner runner) {
    }

    @FunctionalInterface
    private interface Runner {
        DatasetReport run(Path cache, Path work, Consumer<String> log) throws IOException;
    }

    private static final List<Protocol> PROTOCOLS = List.of(
            new Protocol("cwru", "cwru", Cwru::evaluate),
            new Protocol("ims", "ims", Ims::evaluate),
            new Protocol("ims-raw", "ims-raw", ImsRaw::evaluate),
            new Protocol("ims-life", "ims", ImsLife::evaluate),
            new Protocol("nab", "nab", Nab::evaluate));

    private RealDataEvaluation() {
    }

    /** The protocols' names, for the command line. */
    public static List<String> names() {
        return PROTOCOLS.stream().map(Protocol::name).toList();
    }

    /**
     * @param only protocol names to run (empty: all)
     * @return whether every bar of every protocol run was met
     */
    public static boolean run(Path cache, Path work, Path out, List<String> only, String command, Consumer<String> log)
            throws IOException {
        List<DatasetReport> reports = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Protocol p : PROTOCOLS) {
            if (!only.isEmpty() && !only.contains(p.name())) {
                continue;
            }
            if (!Files.isDirectory(cache.resolve(p.folder()))) {
                skipped.add(p.name() + " (no " + cache.resolve(p.folder()) + ")");
                continue;
            }
            log.accept("== " + p.name());
            Path w = work.resolve(p.name());
            Files.createDirectories(w);
            reports.add(p.runner().run(cache, w, log));
        }
        String md = QualityMarkdown.render(reports, skipped, command, LocalDate.now(ZoneOffset.UTC),
                machine());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        for (DatasetReport r : reports) {
            for (DatasetReport.Bar b : r.bars()) {
                log.accept((b.reportedOnly() ? "REPORT  " : b.met() ? "MET     " : "NOT MET ") + r.name() + ": " + b.text()
                        + " -- " + b.measured());
            }
        }
        return reports.stream().allMatch(r -> r.bars().stream().allMatch(DatasetReport.Bar::met));
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's own description is all there is
        }
        return String.format(Locale.ROOT, "%s, %d cores, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }
}
