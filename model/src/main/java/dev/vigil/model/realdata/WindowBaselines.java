package dev.vigil.model.realdata;

import dev.vigil.model.feature.FeatureDef;
import dev.vigil.model.feature.FeatureKind;
import dev.vigil.model.score.Model;

import java.util.ArrayList;
import java.util.List;

/**
 * The baselines for waveform windows, fitted on the training windows' features (the same pipeline Vigil uses):
 * RMS and kurtosis over mean + 3 sigma, and PCA T2+Q on every feature (amplitudes in log, as Vigil's detectors see
 * them).
 */
final class WindowBaselines {
    private final Model model;
    private final int[] simple;
    private final double[] limits;
    private final Baselines.Pca pca;

    WindowBaselines(Model model, List<Scored> trainWindows) {
        this.model = model;
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < model.features().size(); j++) {
            FeatureKind kind = model.features().get(j).kind();
            if (kind == FeatureKind.RMS || kind == FeatureKind.KURTOSIS) {
                idx.add(j);
            }
        }
        this.simple = idx.stream().mapToInt(Integer::intValue).toArray();
        this.limits = Baselines.threeSigma(pick(trainWindows));
        this.pca = new Baselines.Pca(trainWindows.stream().map(w -> logged(w.features())).toList());
    }

    /** Share of the windows each baseline alarms on: {RMS/kurtosis 3 sigma, PCA T2+Q}. */
    double[] alarmedShares(List<Scored> windows) {
        long simpleAlarms = pick(windows).stream().filter(r -> Baselines.exceeds(r, limits)).count();
        long pcaAlarms = 0;
        for (boolean b : pca.alarm(windows.stream().map(s -> logged(s.features())).toList())) {
            pcaAlarms += b ? 1 : 0;
        }
        return new double[]{(double) simpleAlarms / windows.size(), (double) pcaAlarms / windows.size()};
    }

    private List<double[]> pick(List<Scored> windows) {
        return windows.stream().map(w -> {
            double[] r = new double[simple.length];
            for (int k = 0; k < simple.length; k++) {
                r[k] = w.features()[simple[k]];
            }
            return r;
        }).toList();
    }

    private double[] logged(double[] features) {
        double[] out = features.clone();
        List<FeatureDef> defs = model.features();
        for (int j = 0; j < out.length; j++) {
            if (defs.get(j).log()) {
                out[j] = Math.log10(Math.max(1e-12, out[j]));
            }
        }
        return out;
    }
}
