package dev.vigil.model.cli;

import dev.vigil.model.realdata.RealDataEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil eval-real-data}: scripts/eval-real-data fills the cache and calls this. */
@Command(name = "eval-real-data", mixinStandardHelpOptions = true,
        description = {"Train and score Vigil on real public datasets (CWRU bearings, NASA IMS run-to-failure, NAB "
                + "machine temperature) with simple baselines from the same run, and write the quality report.",
                "Exit code 0 when every bar is met, 1 when one is not, 2 on bad input."})
final class EvalRealDataCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "Cache of the datasets' files (cwru/, ims/, nab/).")
    Path data;

    @Option(names = "--work", required = true, description = "Folder for converted recordings and CSV files.")
    Path work;

    @Option(names = "--out", defaultValue = "docs/QUALITY.md", description = "Report to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--only", split = ",", description = "Run only these: cwru, ims, ims-raw, ims-life, nab.")
    List<String> only;

    @Option(names = "--command", defaultValue = "scripts/eval-real-data",
            description = "How the report says it was made (default: ${DEFAULT-VALUE}).")
    String command;

    @Override
    public Integer call() throws Exception {
        List<String> names = only == null ? List.of() : only;
        for (String n : names) {
            if (!RealDataEvaluation.names().contains(n)) {
                throw new IllegalArgumentException("--only: unknown dataset '" + n + "' (expected one of "
                        + RealDataEvaluation.names() + ")");
            }
        }
        boolean met = RealDataEvaluation.run(data, work, out, names, command, System.out::println);
        System.out.println("wrote " + out);
        return met ? 0 : 1;
    }
}
