package dev.vigil.model.cli;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.eval.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vigil compare}. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Evaluate two bundles on the same labelled data and say which to promote.",
                "Decision: higher event recall wins; on a tie, fewer false alarms; then the higher NAB-style score; "
                        + "then the higher point-wise F1."})
final class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Bundle A.")
    Path a;

    @Parameters(index = "1", description = "Bundle B.")
    Path b;

    @Option(names = "--input", required = true, arity = "1..*", description = "Labelled recordings or CSV files.")
    List<Path> inputs;

    @Option(names = "--label", description = "CSV label column.")
    String label;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws Exception {
        Evaluation ea = Evaluation.run(Bundle.read(a), inputs, label);
        Evaluation eb = Evaluation.run(Bundle.read(b), inputs, label);
        double[] ka = key(ea.summary());
        double[] kb = key(eb.summary());
        System.out.printf(Locale.ROOT, "%-40s %12s %12s %10s %8s%n", "bundle", "event recall", "false alarms", "NAB", "F1");
        print(a, ka);
        print(b, kb);
        int winner = 0;
        for (int i = 0; i < ka.length && winner == 0; i++) {
            double x = i == 1 ? -ka[i] : ka[i];
            double y = i == 1 ? -kb[i] : kb[i];
            if (Math.abs(x - y) > 1e-9) {
                winner = x > y ? 1 : 2;
            }
        }
        System.out.println(winner == 0 ? "no difference on this data: keep the deployed model"
                : "better: " + (winner == 1 ? a : b) + " (promote it)");
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static double[] key(Map<String, Object> s) {
        Map<String, Object> ev = (Map<String, Object>) s.get("events");
        Map<String, Object> p = (Map<String, Object>) s.get("pointwise");
        double nab = ((Number) s.get("nab")).doubleValue();
        return new double[]{((Number) ev.get("recall")).doubleValue(), ((Number) ev.get("falseAlarms")).doubleValue(),
                nab != nab ? 0 : nab, ((Number) p.get("f1")).doubleValue()};
    }

    private static void print(Path p, double[] k) {
        System.out.printf(Locale.ROOT, "%-40s %12.3f %12.0f %10.1f %8.3f%n", p, k[0], k[1], k[2], k[3]);
    }
}
