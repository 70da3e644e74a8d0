package dev.vigil.model.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.eval.Evaluation;
import dev.vigil.model.eval.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil evaluate}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a bundle on labelled data: point-wise and event-wise metrics and a NAB-style score as "
                + "JSON on stdout, optionally a self-contained HTML report.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Bundle (.zip).")
    Path model;

    @Option(names = "--input", required = true, arity = "1..*", description = "Labelled recordings (labels.csv) or CSV files.")
    List<Path> inputs;

    @Option(names = "--label", description = "CSV label column (required for CSV inputs; recordings use labels.csv).")
    String label;

    @Option(names = "--report", description = "Write an HTML report here.")
    Path report;

    @Override
    public Integer call() throws Exception {
        Bundle bundle = Bundle.read(model);
        if (!bundle.model().spec().isWaveform() && label == null) {
            throw new IllegalArgumentException("--label COLUMN is required to evaluate on CSV files");
        }
        Evaluation e = Evaluation.run(bundle, inputs, label);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(e.summary()));
        if (report != null) {
            HtmlReport.write(report, bundle, e, model.getFileName().toString());
            System.err.println("wrote " + report);
        }
        return 0;
    }
}
