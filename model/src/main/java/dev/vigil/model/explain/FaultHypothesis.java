package dev.vigil.model.explain;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.model.feature.FeatureDef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most likely fault behind an anomaly, from physics rather than from the detector's weights: which
 * physically meaningful features rose above what the operating context explains. Envelope energy at BPFO
 * means an outer-race defect, at BPFI inner race, at 2xBSF/FTF a rolling element; 1x imbalance; 2x
 * misalignment; a harmonic series or half orders looseness; cutting current with a mid-frequency band
 * (chatter) tool wear; servo-current ripple and joint vibration reducer wear.
 *
 * @param fault the fault name (as in labels: bearing-outer, ..., or "unknown")
 * @param confidence the winning rule's share of all rule evidence, 0..1
 * @param evidence the strongest supporting feature
 */
public record FaultHypothesis(String fault, double confidence, Evidence evidence) {
    public static final String UNKNOWN = "unknown";
    private static final double MIN_Z = 3;

    /** Rule each feature kind supports, with a weight. */
    private static Map<String, Double> rulesFor(FeatureDef f) {
        Map<String, Double> m = new LinkedHashMap<>();
        String ch = f.channel();
        boolean robotJoint = ch.matches("j\\d+_.*");
        switch (f.kind()) {
            case "env_bpfo" -> m.put("bearing-outer", 3.0);
            case "env_bpfi" -> m.put("bearing-inner", 3.0);
            case "env_bsf", "env_ftf" -> m.put("bearing-ball", 3.0);
            case "order_1x" -> m.put("imbalance", 2.0);
            case "order_2x" -> m.put("misalignment", ch.endsWith("_z") ? 3.0 : 1.5);
            case "harmonics", "half_orders" -> m.put("looseness", 2.5);
            case "sideband" -> {
                m.put("imbalance", 0.3);
                m.put("misalignment", 0.3);
            }
            case "current_rms", "current_peak", "current_mean" -> m.put(robotJoint ? "reducer-wear" : "tool-wear", 1.0);
            case "ripple" -> m.put("reducer-wear", 2.0);
            case "band" -> m.put(robotJoint ? "reducer-wear" : "tool-wear", 0.4);
            case "kurtosis", "spectral_kurtosis", "crest", "peak" -> {
                if (robotJoint) {
                    m.put("reducer-wear", 0.8);
                }
            }
            default -> { }
        }
        return m;
    }

    /**
     * @param features the feature schema
     * @param z standardised residuals of the window
     * @param raw actual values
     * @param expected expected values in this context
     * @param shaftHz shaft rate in this window, or NaN
     * @param bearing bearing geometry, or null
     */
    public static FaultHypothesis of(List<FeatureDef> features, double[] z, double[] raw, double[] expected,
                                     double shaftHz, BearingGeometry bearing) {
        Map<String, Double> score = new LinkedHashMap<>();
        Map<String, Integer> strongest = new LinkedHashMap<>();
        for (int j = 0; j < features.size(); j++) {
            if (z[j] < MIN_Z) {
                continue;
            }
            for (Map.Entry<String, Double> rule : rulesFor(features.get(j)).entrySet()) {
                double w = rule.getValue() * z[j] * z[j];
                score.merge(rule.getKey(), w, Double::sum);
                Integer best = strongest.get(rule.getKey());
                if (best == null || z[j] * rule.getValue() > z[best] * rulesFor(features.get(best)).get(rule.getKey())) {
                    strongest.put(rule.getKey(), j);
                }
            }
        }
        if (score.isEmpty()) {
            int top = 0;
            for (int j = 1; j < z.length; j++) {
                if (Math.abs(z[j]) > Math.abs(z[top])) {
                    top = j;
                }
            }
            return new FaultHypothesis(UNKNOWN, 0, evidence(features, top, z, raw, expected, shaftHz, bearing));
        }
        String best = null;
        double total = 0;
        for (Map.Entry<String, Double> e : score.entrySet()) {
            total += e.getValue();
            if (best == null || e.getValue() > score.get(best)) {
                best = e.getKey();
            }
        }
        int j = strongest.get(best);
        return new FaultHypothesis(best, score.get(best) / total, evidence(features, j, z, raw, expected, shaftHz, bearing));
    }

    private static Evidence evidence(List<FeatureDef> features, int j, double[] z, double[] raw, double[] expected,
                                     double shaftHz, BearingGeometry bearing) {
        return new Evidence(features.get(j).name(), frequency(features.get(j).kind(), shaftHz, bearing), raw[j],
                expected[j], z[j]);
    }

    static double frequency(String kind, double shaftHz, BearingGeometry bearing) {
        if (!(shaftHz > 0)) {
            return Double.NaN;
        }
        return switch (kind) {
            case "order_1x", "env_1x" -> shaftHz;
            case "order_2x" -> 2 * shaftHz;
            case "order_3x" -> 3 * shaftHz;
            case "env_bpfo" -> bearing == null ? Double.NaN : bearing.bpfoHz(shaftHz);
            case "env_bpfi" -> bearing == null ? Double.NaN : bearing.bpfiHz(shaftHz);
            case "env_bsf" -> bearing == null ? Double.NaN : 2 * bearing.bsfHz(shaftHz);
            case "env_ftf" -> bearing == null ? Double.NaN : bearing.ftfHz(shaftHz);
            default -> Double.NaN;
        };
    }
}
