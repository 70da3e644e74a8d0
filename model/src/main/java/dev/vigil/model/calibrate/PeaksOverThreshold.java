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
 * Extreme-value threshold: fits a generalised Pareto distribution (maximum likelihood, Nelder-Mead) to the
 * excesses of healthy scores over a high quantile u, then extrapolates to the score exceeded with a target
 * probability far smaller than the data could show directly. Falls back to an empirical quantile when the
 * tail is too thin to fit.
 *
 * @param method {@code pot} or {@code quantile}
 * @param u the base threshold (a high quantile of the scores)
 * @param sigma GPD scale
 * @param xi GPD shape
 * @param exceedances scores above u
 * @param n scores in all
 */
public record PeaksOverThreshold(String method, double u, double sigma, double xi, int exceedances, int n) {
    static final double BASE_QUANTILE = 0.95;
    static final int MIN_EXCEEDANCES = 15;

    public static PeaksOverThreshold fit(double[] scores) {
        double[] s = Arrays.stream(scores).filter(Double::isFinite).sorted().toArray();
        int n = s.length;
        if (n == 0) {
            throw new IllegalArgumentException("no scores to calibrate on");
        }
        double u = new Percentile().withEstimationType(Percentile.EstimationType.R_7).evaluate(s, BASE_QUANTILE * 100);
        double[] excess = Arrays.stream(s).filter(v -> v > u).map(v -> v - u).toArray();
        if (excess.length < MIN_EXCEEDANCES) {
            return new PeaksOverThreshold("quantile", u, Double.NaN, Double.NaN, excess.length, n);
        }
        double mean = Arrays.stream(excess).average().orElse(0);
        double var = Arrays.stream(excess).map(e -> (e - mean) * (e - mean)).sum() / Math.max(1, excess.length - 1);
        // method-of-moments start, then maximum likelihood over (log sigma, xi)
        double xi0 = var > 0 ? 0.5 * (1 - mean * mean / var) : 0;
        double sigma0 = Math.max(1e-9, mean * (1 - xi0));
        MultivariateFunction nll = p -> negLogLikelihood(excess, Math.exp(p[0]), p[1]);
        double[] best = {Math.log(sigma0), Math.max(-0.45, Math.min(0.9, xi0))};
        try {
            PointValuePair opt = new SimplexOptimizer(1e-10, 1e-12).optimize(new MaxEval(4000),
                    new ObjectiveFunction(nll), GoalType.MINIMIZE, new InitialGuess(best), new NelderMeadSimplex(2));
            if (Double.isFinite(opt.getValue())) {
                best = opt.getPoint();
            }
        } catch (RuntimeException e) {
            // keep the moment estimates: a poor fit still beats none
        }
        double xi = Math.max(-0.5, Math.min(1.0, best[1]));
        return new PeaksOverThreshold("pot", u, Math.exp(best[0]), xi, excess.length, n);
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
    public double threshold(double q, double[] sortedScoresForFallback) {
        if (method.equals("quantile")) {
            double max = sortedScoresForFallback.length == 0 ? u : sortedScoresForFallback[sortedScoresForFallback.length - 1];
            // beyond the data: leave a margin above the largest healthy score
            return Math.max(u, max) * (1 + Math.max(0, Math.log10(1.0 / (q * Math.max(1, n)))) * 0.25);
        }
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
