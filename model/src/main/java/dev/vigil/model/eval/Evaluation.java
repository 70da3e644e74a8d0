package dev.vigil.model.eval;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.explain.Contribution;
import dev.vigil.model.score.Scoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model evaluated on labelled inputs: the metrics and, per input, the score series for the report.
 *
 * @param summary metrics (see {@link Metrics})
 * @param series per input, what was scored
 * @param meanContribution per feature, its mean share of the score over alarmed windows
 */
public record Evaluation(Map<String, Object> summary, List<Series> series, Map<String, Double> meanContribution) {

    /** One input's scored sequence. */
    public record Series(Path input, List<Point> points) {
    }

    /** One scored window or row. */
    public record Point(double startS, long index, double smoothed, double warning, double critical, boolean alarm,
                        boolean anomalous, double severity, boolean sensor, String hypothesis) {
    }

    public static Evaluation run(Bundle bundle, List<Path> inputs, String labelColumn) throws IOException {
        Metrics metrics = new Metrics();
        List<Series> series = new ArrayList<>();
        Map<String, Double> contribution = new LinkedHashMap<>();
        long[] alarmed = new long[1];
        for (Path in : inputs) {
            metrics.startInput(in.toString());
            List<Point> points = new ArrayList<>();
            boolean[] labelled = new boolean[1];
            Scoring.run(bundle.model(), in, labelColumn, (lo, a) -> {
                labelled[0] |= lo.labelled();
                boolean sensor = a.sensorIssue() != null || lo.sensorFault() != null;
                boolean alarm = a.alarm() && a.sensorIssue() == null;
                String h = a.hypothesis() == null ? null : a.hypothesis().id();
                metrics.add(a.startS(), lo.anomalous(), lo.machineFault(), lo.severity(), sensor, alarm, h);
                points.add(new Point(a.startS(), a.index(), a.smoothed(), a.warning(), a.critical(), alarm, lo.anomalous(),
                        lo.severity(), sensor, h));
                if (alarm) {
                    alarmed[0]++;
                    for (Contribution c : a.top()) {
                        contribution.merge(c.feature(), c.share(), Double::sum);
                    }
                }
            });
            if (!labelled[0]) {
                throw new IllegalArgumentException(in + ": no labels to evaluate against ("
                        + (bundle.model().spec().isWaveform() ? "the recording has no labels.csv" : "give --label COLUMN") + ")");
            }
            series.add(new Series(in, points));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        contribution.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(15)
                .forEach(e -> mean.put(e.getKey(), e.getValue() / Math.max(1, alarmed[0])));
        return new Evaluation(metrics.summary(), series, mean);
    }
}
