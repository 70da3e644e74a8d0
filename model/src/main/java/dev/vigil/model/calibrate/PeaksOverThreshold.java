package dev.vigil.model.calibrate;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

import java.util.Arrays;

/**
 * Extreme-value threshold: models the tail of healthy scores above a base threshold u and extrapolates to the
 * score exceeded with a target probability far smaller than the data could show directly.
 *
 * <p>Two methods, chosen by how much tail there is:
 * <ul>
 *   <li>{@code pot}: with at least {@value #MIN_EXCEEDANCES} scores above the 95th percentile, a generalised
 *       Pareto distribution fitted to the excesses by maximum likelihood (shape clamped to [-0.5, 0.3]: a heavier
 *       fitted tail from a few hundred points is more often noise than physics, and extrapolating it six decades
 *       out gives levels no fault reaches).</li>
 *   <li>{@code robust-exponential}: with fewer, an exponential tail over the 80th percentile whose scale is the
 *       median excess / ln 2. The median ignores a handful of odd windows, so one outlier cannot set the levels
 *       (the old fallback scaled the single largest score: one window at 34x the median once made a model
 *       blind to severity-1 faults).</li>
 * </ul>
 * Bundles written before this change may name {@code quantile} (the old fallback): their levels are stored as
 * numbers and load unchanged.
 *
 * @param method {@code pot}, {@code robust-exponential} or (old bundles) {@code quantile}
 * @param u the base threshold (a high quantile of the scores)
 * @param sigma tail scale
 * @param xi GPD shape (0 for the exponential tail)
 * @param exceedances scores above u
 * @param n scores in all
 */
public record PeaksOverThreshold(String method, double u, double sigma, double xi, int exceedances, int n) {
    static final double BASE_QUANTILE = 0.95;
    static final double ROBUST_BASE_QUANTILE = 0.8;
    static final int MIN_EXCEEDANCES = 30;
    static final double MAX_XI = 0.3;
    public static final String POT = "pot";
    public static final String ROBUST = "robust-exponential";

    public static PeaksOverThreshold fit(double[] scores) {
        double[] s = Arrays.stream(scores).filter(Double::isFinite).sorted().toArray();
        int n = s.length;
        if (n == 0) {
            throw new IllegalArgumentException("no scores to calibrate on");
        }
        double u = percentile(s, BASE_QUANTILE);
        double[] excess = Arrays.stream(s).filter(v -> v > u).map(v -> v - u).toArray();
        if (excess.length < MIN_EXCEEDANCES) {
            return robust(s);
        }
        double mean = Arrays.stream(excess).average().orElse(0);
        double var = Arrays.stream(excess).map(e -> (e - mean) * (e - mean)).sum() / Math.max(1, excess.length - 1);
        // method-of-moments start, then maximum likelihood over (log sigma, xi)
        double xi0 = var > 0 ? 0.5 * (1 - mean * mean / var) : 0;
        double sigma0 = Math.max(1e-9, mean * (1 - xi0));
        MultivariateFunction nll = p -> negLogLikelihood(excess, Math.exp(p[0]), p[1]);
        double[] best = {Math.log(sigma0), Math.max(-0.45, Math.min(MAX_XI, xi0))};
        try {
            PointValuePair opt = new SimplexOptimizer(1e-10, 1e-12).optimize(new MaxEval(4000),
                    new ObjectiveFunction(nll), GoalType.MINIMIZE, new InitialGuess(best), new NelderMeadSimplex(2));
            if (Double.isFinite(opt.getValue())) {
                best = opt.getPoint();
            }
        } catch (RuntimeException e) {
            // keep the moment estimates: a poor fit still beats none
        }
        double xi = Math.max(-0.5, Math.min(MAX_XI, best[1]));
        return new PeaksOverThreshold(POT, u, Math.exp(best[0]), xi, excess.length, n);
    }

    /** Exponential tail over the 80th percentile with the median excess as its (robust) scale. */
    static PeaksOverThreshold robust(double[] sorted) {
        int n = sorted.length;
        double u = percentile(sorted, ROBUST_BASE_QUANTILE);
        double[] excess = Arrays.stream(sorted).filter(v -> v > u).map(v -> v - u).toArray();
        double median = excess.length == 0 ? 0 : excess[excess.length / 2];
        // a flat calibration set still needs a scale: a small fraction of the level itself
        double sigma = Math.max(median / Math.log(2), 1e-3 * Math.max(Math.abs(u), 1e-9));
        return new PeaksOverThreshold(ROBUST, u, sigma, 0, Math.max(1, excess.length), n);
    }

    static double percentile(double[] sorted, double q) {
        return new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(sorted, q * 100);
    }

    private static double negLogLikelihood(double[] y, double sigma, double xi) {
        if (!(sigma > 0) || xi < -0.5 || xi > 1.5) {
            return Double.MAX_VALUE;
        }
        double sum = y.length * Math.log(sigma);
        for (double v : y) {
            double t = 1 + xi * v / sigma;
            if (t <= 0) {
                return Double.MAX_VALUE;
            }
            sum += Math.abs(xi) < 1e-9 ? v / sigma : (1 + 1 / xi) * Math.log(t);
        }
        return sum;
    }

    /** The score exceeded with probability q (per observation) under the fitted tail. */
    public double threshold(double q) {
        double ratio = q * n / exceedances;
        if (ratio >= 1) {
            return u;
        }
        if (Math.abs(xi) < 1e-6) {
            return u - sigma * Math.log(ratio);
        }
        return u + sigma / xi * (Math.pow(ratio, -xi) - 1);
    }
}
