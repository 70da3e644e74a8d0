package dev.vigil.model.realdata;

import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.score.Scoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One window or row as Vigil scored it (through {@link Scoring}, exactly as {@code vigil score} does), with its
 * raw features for the baselines.
 *
 * @param features raw feature values in the model's feature order
 * @param alarm whether Vigil's alarm was up (a sensor problem is not a machine alarm)
 * @param hypothesis Vigil's fault hypothesis, or null
 * @param score the raw score the levels' tracker was fed (NaN when not scored: a sensor problem, a transient)
 * @param sensor whether the window had a sensor problem
 */
record Scored(double[] features, boolean alarm, String hypothesis, double score, boolean sensor) {

    static List<Scored> run(Model model, Path input, String labelColumn) throws IOException {
        return run(model, input, labelColumn, null);
    }

    /** @param drift follow drift with these guards, or null */
    static List<Scored> run(Model model, Path input, String labelColumn, DriftFollower.Settings drift)
            throws IOException {
        List<Scored> out = new ArrayList<>();
        Scoring.run(model, input, labelColumn, drift, (lo, a) -> out.add(new Scored(lo.observation().features(),
                a.alarm() && a.sensorIssue() == null, a.hypothesis() == null ? null : a.hypothesis().id(), a.score(),
                a.sensorIssue() != null)));
        return out;
    }

    static double alarmedShare(List<Scored> windows) {
        return windows.isEmpty() ? 0 : (double) windows.stream().filter(Scored::alarm).count() / windows.size();
    }

    /** The hypothesis most alarmed windows named, or "none". */
    static String majorityHypothesis(List<Scored> windows) {
        Map<String, Long> votes = windows.stream().filter(w -> w.alarm() && w.hypothesis() != null)
                .collect(Collectors.groupingBy(Scored::hypothesis, Collectors.counting()));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse("none");
    }

    /** Alarm episodes: off-to-on changes. */
    static int episodes(List<Scored> windows) {
        int n = 0;
        boolean prev = false;
        for (Scored w : windows) {
            n += w.alarm() && !prev ? 1 : 0;
            prev = w.alarm();
        }
        return n;
    }
}
