package dev.vigil.model.score;

import dev.vigil.domain.FaultType;
import dev.vigil.model.explain.FaultHypothesis;
import dev.vigil.model.feature.DefectLines;
import dev.vigil.model.feature.FeatureDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's fault evidence accumulated while its score is elevated: early in a fault single windows are
 * ambiguous, and an envelope line only stands clear of the noise when several windows agree. Both the rule
 * evidence and the bearing line heights fade with the same memory, so the latest windows weigh most.
 */
final class FaultEvidence {
    private static final double MEMORY = 0.9;
    private final Map<FaultType, Double> rules = new LinkedHashMap<>();
    private final Map<FaultType, Double> lineSums = new LinkedHashMap<>();
    private final Map<FaultType, Double> lineWeights = new LinkedHashMap<>();

    /** Adds one window. */
    void add(List<FeatureDef> features, double[] z, List<DefectLines> lines) {
        rules.replaceAll((k, v) -> v * MEMORY);
        FaultHypothesis.evidenceScores(features, z).forEach((k, v) -> rules.merge(k, v, Double::sum));
        lineSums.replaceAll((k, v) -> v * MEMORY);
        lineWeights.replaceAll((k, v) -> v * MEMORY);
        FaultHypothesis.lineHeights(lines).forEach((k, v) -> {
            lineSums.merge(k, v, Double::sum);
            lineWeights.merge(k, 1.0, Double::sum);
        });
    }

    void clear() {
        rules.clear();
        lineSums.clear();
        lineWeights.clear();
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Evidence per fault rule. */
    Map<FaultType, Double> rules() {
        return rules;
    }

    /** Per bearing fault, the weighted mean height of its line series (dB). */
    Map<FaultType, Double> lines() {
        Map<FaultType, Double> m = new LinkedHashMap<>();
        lineSums.forEach((k, v) -> m.put(k, v / lineWeights.get(k)));
        return m;
    }
}
