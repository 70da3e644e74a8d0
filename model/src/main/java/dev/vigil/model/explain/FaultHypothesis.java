package dev.vigil.model.explain;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.FaultType;
import dev.vigil.model.feature.DefectLines;
import dev.vigil.model.feature.FeatureDef;
import dev.vigil.model.feature.FeatureKind;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most likely fault behind an anomaly, from physics rather than from the detector's weights: which
 * physically meaningful features rose above what the operating context explains. Envelope energy at BPFO
 * means an outer-race defect, at BPFI inner race, at 2xBSF/FTF a rolling element; 1x imbalance; 2x
 * misalignment; a harmonic series or half orders looseness; cutting current with a mid-frequency band
 * (chatter) tool wear; servo-current ripple and joint vibration reducer wear. Which part of a bearing is
 * damaged is read from the envelope's line series ({@link DefectLines}), not from the detector's features.
 *
 * @param fault the fault, of the one vocabulary ({@link FaultType}), or null when no rule is supported
 * @param confidence the winning rule's share of all rule evidence, 0..1
 * @param evidence the strongest supporting feature
 */
public record FaultHypothesis(FaultType fault, double confidence, Evidence evidence) {
    /** The name given when no rule is supported. */
    public static final String UNKNOWN = "unknown";
    private static final double MIN_Z = 3;
    private static final Set<FaultType> BEARING = EnumSet.of(FaultType.BEARING_OUTER, FaultType.BEARING_INNER,
            FaultType.BEARING_BALL);

    /** The fault's name as in labels and the API ({@code bearing-outer}, ...), or {@value #UNKNOWN}. */
    public String id() {
        return fault == null ? UNKNOWN : fault.id();
    }
    /** A defect's line series this far above the envelope floor (dB) names the bearing part. */
    static final double MIN_LINE_DB = 3;

    /** Axial accelerometers are named {@code *_z} or contain "axial". */
    static boolean axial(String channel) {
        return channel.endsWith("_z") || channel.toLowerCase(java.util.Locale.ROOT).contains("axial");
    }

    /** Rule each feature kind supports, with a weight. */
    private static Map<FaultType, Double> rulesFor(FeatureDef f) {
        Map<FaultType, Double> m = new LinkedHashMap<>();
        String ch = f.channel();
        boolean robotJoint = ch.matches("j\\d+_.*");
        switch (f.kind()) {
            case ENV_BPFO -> m.put(FaultType.BEARING_OUTER, 3.0);
            case ENV_BPFI -> m.put(FaultType.BEARING_INNER, 3.0);
            case ENV_BSF, ENV_FTF -> m.put(FaultType.BEARING_BALL, 3.0);
            // an inner-race defect turns with the shaft: its envelope carries 1x (and its BPFI - 1x sideband can
            // fall in the 2xBSF search window, so the 1x modulation is what tells the two apart)
            case ENV_1X -> m.put(FaultType.BEARING_INNER, 2.0);
            // radial 1x is imbalance; a strong axial 1x points at misalignment
            case ORDER_1X -> m.put(axial(ch) ? FaultType.MISALIGNMENT : FaultType.IMBALANCE, 2.0);
            case ORDER_2X -> m.put(FaultType.MISALIGNMENT, axial(ch) ? 3.0 : 1.5);
            case HARMONICS -> m.put(FaultType.LOOSENESS, 1.5);
            case HALF_ORDERS -> m.put(FaultType.LOOSENESS, 3.0);
            case SIDEBAND -> {
                m.put(FaultType.IMBALANCE, 0.3);
                m.put(FaultType.MISALIGNMENT, 0.3);
            }
            case CURRENT_RMS, CURRENT_PEAK, CURRENT_MEAN -> m.put(robotJoint ? FaultType.REDUCER_WEAR : FaultType.TOOL_WEAR, 1.0);
            case RIPPLE -> m.put(FaultType.REDUCER_WEAR, 2.0);
            case BAND -> m.put(robotJoint ? FaultType.REDUCER_WEAR : FaultType.TOOL_WEAR, 0.4);
            case LOAD -> m.put(FaultType.TOOL_WEAR, 2.0);
            case KURTOSIS, SPECTRAL_KURTOSIS, CREST, PEAK -> {
                if (robotJoint) {
                    m.put(FaultType.REDUCER_WEAR, 0.8);
                }
            }
            default -> { }
        }
        return m;
    }

    /** Evidence per fault in one window: the weighted squares of the supporting features that rose clearly. */
    public static Map<FaultType, Double> evidenceScores(List<FeatureDef> features, double[] z) {
        Map<FaultType, Double> score = new LinkedHashMap<>();
        for (int j = 0; j < features.size(); j++) {
            if (z[j] < MIN_Z) {
                continue;
            }
            for (Map.Entry<FaultType, Double> rule : rulesFor(features.get(j)).entrySet()) {
                score.merge(rule.getKey(), rule.getValue() * z[j] * z[j], Double::sum);
            }
        }
        return score;
    }

    /**
     * The hypothesis best supported by the given evidence (of one window, or accumulated over an alarm),
     * with the strongest supporting feature of this window as its evidence.
     *
     * @param score evidence per fault ({@link #evidenceScores})
     * @param lines per bearing fault, how far its envelope line series stood above the floor (dB; of one window,
     *              or averaged over an alarm); may be empty
     * @param features the feature schema
     * @param z standardised residuals of the window
     * @param raw actual values
     * @param expected expected values in this context
     * @param shaftHz shaft rate in this window, or NaN
     * @param bearing bearing geometry, or null
     */
    public static FaultHypothesis choose(Map<FaultType, Double> score, Map<FaultType, Double> lines, List<FeatureDef> features,
                                         double[] z, double[] raw, double[] expected, double shaftHz,
                                         BearingGeometry bearing) {
        FaultType best = null;
        double total = 0;
        double bearingTotal = 0;
        for (Map.Entry<FaultType, Double> e : score.entrySet()) {
            total += e.getValue();
            bearingTotal += BEARING.contains(e.getKey()) ? e.getValue() : 0;
            if (best == null || e.getValue() > score.get(best)) {
                best = e.getKey();
            }
        }
        double support = best == null ? 0 : score.get(best);
        if (BEARING.contains(best)) {
            // the envelope features say a bearing is damaged; which part is what the line series say
            FaultType part = strongest(lines);
            if (part != null) {
                best = part;
                support = bearingTotal;
            }
        }
        String part = best == null ? null : strongestPart(best, features, z);
        int pick = -1;
        double pickWeight = 0;
        for (int j = 0; j < features.size(); j++) {
            Double w = best == null ? null : rulesFor(features.get(j)).get(best);
            double weight = best == null ? Math.abs(z[j]) : w == null ? -1 : w * z[j];
            if (part != null && !part.equals(part(features.get(j).channel()))) {
                weight = -1;
            }
            if (weight > pickWeight || pick < 0 && weight >= 0) {
                pick = j;
                pickWeight = weight;
            }
        }
        if (pick < 0) {
            pick = 0;
        }
        Evidence ev = evidence(features, pick, z, raw, expected, shaftHz, bearing);
        return new FaultHypothesis(best, best == null ? 0 : support / total, ev);
    }

    /** A robot joint's channels ({@code j3_current}, {@code j3_vibration}) belong to one part: the joint. */
    private static String part(String channel) {
        Matcher m = JOINT.matcher(channel);
        return m.matches() ? m.group(1) : channel;
    }

    private static final Pattern JOINT = Pattern.compile("(j\\d+)_.*");

    /**
     * On a robot, the joint whose features together carry the most evidence for the fault: a worn reducer
     * shows in its joint's current ripple, current level and vibration at once, while one noisy feature of
     * another joint may have the single largest deviation. Null when the channels are not robot joints.
     */
    private static String strongestPart(FaultType fault, List<FeatureDef> features, double[] z) {
        Map<String, Double> byPart = new LinkedHashMap<>();
        for (int j = 0; j < features.size(); j++) {
            Double w = rulesFor(features.get(j)).get(fault);
            if (w != null && z[j] > 0 && JOINT.matcher(features.get(j).channel()).matches()) {
                byPart.merge(part(features.get(j).channel()), w * z[j] * z[j], Double::sum);
            }
        }
        return byPart.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The bearing fault whose line series stands highest, if at least {@link #MIN_LINE_DB}; else null. */
    private static FaultType strongest(Map<FaultType, Double> lines) {
        FaultType best = null;
        for (Map.Entry<FaultType, Double> e : lines.entrySet()) {
            if (e.getValue() >= MIN_LINE_DB && (best == null || e.getValue() > lines.get(best))) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Per bearing fault, the highest line series over a window's channels (dB). */
    public static Map<FaultType, Double> lineHeights(List<DefectLines> lines) {
        Map<FaultType, Double> m = new LinkedHashMap<>();
        for (DefectLines l : lines) {
            l.byFault().forEach((k, v) -> m.merge(k, v, Math::max));
        }
        return m;
    }

    private static Evidence evidence(List<FeatureDef> features, int j, double[] z, double[] raw, double[] expected,
                                     double shaftHz, BearingGeometry bearing) {
        return new Evidence(features.get(j).name(), frequency(features.get(j).kind(), shaftHz, bearing), raw[j],
                expected[j], z[j]);
    }

    static double frequency(FeatureKind kind, double shaftHz, BearingGeometry bearing) {
        if (!(shaftHz > 0)) {
            return Double.NaN;
        }
        return switch (kind) {
            case ORDER_1X, ENV_1X -> shaftHz;
            case ORDER_2X -> 2 * shaftHz;
            case ORDER_3X -> 3 * shaftHz;
            case ENV_BPFO -> bearing == null ? Double.NaN : bearing.bpfoHz(shaftHz);
            case ENV_BPFI -> bearing == null ? Double.NaN : bearing.bpfiHz(shaftHz);
            case ENV_BSF -> bearing == null ? Double.NaN : 2 * bearing.bsfHz(shaftHz);
            case ENV_FTF -> bearing == null ? Double.NaN : bearing.ftfHz(shaftHz);
            default -> Double.NaN;
        };
    }
}
