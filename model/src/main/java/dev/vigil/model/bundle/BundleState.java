package dev.vigil.model.bundle;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.calibrate.PeaksOverThreshold;
import dev.vigil.model.detect.PcaDetector;
import dev.vigil.model.detect.Preprocessor;

import java.util.List;

/**
 * The fitted state as the manifest persists it, apart from the live classes that use it: these records' component
 * names are the format ({@code normaliser}, {@code calibration}, {@code detector.pca} of docs/BUNDLE.md), so
 * renaming a field of {@link Preprocessor}, {@link Calibration} or {@link PcaDetector} no longer changes what a
 * bundle holds: it breaks the mapping here at compile time instead. Every format version must keep reading these
 * (the committed v1 fixture, {@code BundleFormatV1Test}).
 */
final class BundleState {
    private BundleState() {
    }

    /** {@code normaliser}: the context model that turns features into standardised residuals. */
    record Normaliser(boolean[] log, double[] median, double[] ctxMean, double[] ctxStd, List<List<String>> levels,
                      double[][] beta, double[] scale) {
        static Normaliser of(Preprocessor p) {
            return new Normaliser(p.log(), p.median(), p.ctxMean(), p.ctxStd(), p.levels(), p.beta(), p.scale());
        }

        Preprocessor live() {
            return new Preprocessor(log, median, ctxMean, ctxStd, levels, beta, scale);
        }
    }

    /** {@code calibration.tail}: the fitted tail of the healthy smoothed scores. */
    record Tail(String method, double u, double sigma, double xi, int exceedances, int n) {
        static Tail of(PeaksOverThreshold t) {
            return t == null ? null : new Tail(t.method(), t.u(), t.sigma(), t.xi(), t.exceedances(), t.n());
        }

        PeaksOverThreshold live() {
            return new PeaksOverThreshold(method, u, sigma, xi, exceedances, n);
        }
    }

    /** {@code calibration}: the alarm levels and how alarms rise and clear. */
    record Levels(double warning, double critical, double alpha, int raiseAfter, int clearAfter, double clearRatio,
                  double warningRate, double criticalRate, Tail tail) {
        static Levels of(Calibration c) {
            return new Levels(c.warning(), c.critical(), c.alpha(), c.raiseAfter(), c.clearAfter(), c.clearRatio(),
                    c.warningRate(), c.criticalRate(), Tail.of(c.tail()));
        }

        Calibration live() {
            return new Calibration(warning, critical, alpha, raiseAfter, clearAfter, clearRatio, warningRate,
                    criticalRate, tail == null ? null : tail.live());
        }
    }

    /** {@code detector.pca}: the principal subspace of healthy residuals and its reference statistics. */
    record Pca(double[] mean, double[][] components, double[] eigenvalues, double t2Ref, double speRef,
               double varianceKept) {
        static Pca of(PcaDetector d) {
            return new Pca(d.mean(), d.components(), d.eigenvalues(), d.t2Ref(), d.speRef(), d.varianceKept());
        }

        PcaDetector live() {
            return new PcaDetector(mean, components, eigenvalues, t2Ref, speRef, varianceKept);
        }
    }
}
