package dev.vigil.model.detect;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Removes what the operating context explains. Each feature (log-transformed where it is an amplitude) is
 * predicted from the context by ridge regression on {1, c, c^2, one-hot(category), one-hot x c}; what is left,
 * divided by a robust scale, is the standardised residual z that detectors model. A speed step changes the
 * expected vibration, not z. The prediction, transformed back, is the "expected value" shown beside the actual.
 *
 * @param log per feature, whether it is log10-transformed
 * @param median per feature, the training median of the transformed value (imputed for NaN)
 * @param ctxMean numeric context means
 * @param ctxStd numeric context standard deviations (1 where constant)
 * @param levels per categorical context, the levels seen in training
 * @param beta ridge coefficients, [basis][feature]
 * @param scale per feature, robust residual scale
 */
public record Preprocessor(boolean[] log, double[] median, double[] ctxMean, double[] ctxStd, List<List<String>> levels,
                           double[][] beta, double[] scale) {
    static final double LOG_FLOOR = 1e-6;
    static final double Z_LIMIT = 12;

    public int features() {
        return log.length;
    }

    public int basisSize() {
        int numeric = ctxMean.length;
        int onehot = levels.stream().mapToInt(List::size).sum();
        return 1 + 2 * numeric + onehot + onehot * numeric;
    }

    /** Width of the context encoding given to neural detectors: standardised numerics plus one-hots. */
    public int contextWidth() {
        return ctxMean.length + levels.stream().mapToInt(List::size).sum();
    }

    static double transform(double v, boolean log) {
        return log ? Math.log10(Math.max(v, 0) + LOG_FLOOR) : v;
    }

    static double inverse(double t, boolean log) {
        return log ? Math.max(0, Math.pow(10, t) - LOG_FLOOR) : t;
    }

    double[] basis(double[] numeric, String[] categorical) {
        double[] b = new double[basisSize()];
        int at = 0;
        b[at++] = 1;
        double[] zc = new double[ctxMean.length];
        for (int i = 0; i < zc.length; i++) {
            double v = numeric[i];
            zc[i] = v == v ? (v - ctxMean[i]) / ctxStd[i] : 0;
            zc[i] = Math.max(-6, Math.min(6, zc[i]));
            b[at++] = zc[i];
            b[at++] = zc[i] * zc[i];
        }
        for (int c = 0; c < levels.size(); c++) {
            int idx = levels.get(c).indexOf(categorical[c]);
            for (int l = 0; l < levels.get(c).size(); l++) {
                double on = l == idx ? 1 : 0;
                b[at++] = on;
            }
        }
        for (int c = 0; c < levels.size(); c++) {
            int idx = levels.get(c).indexOf(categorical[c]);
            for (int l = 0; l < levels.get(c).size(); l++) {
                for (double v : zc) {
                    b[at++] = l == idx ? v : 0;
                }
            }
        }
        return b;
    }

    /** Context encoding for neural detectors. */
    public double[] encodeContext(double[] numeric, String[] categorical) {
        double[] e = new double[contextWidth()];
        int at = 0;
        for (int i = 0; i < ctxMean.length; i++) {
            double v = numeric[i];
            e[at++] = v == v ? Math.max(-6, Math.min(6, (v - ctxMean[i]) / ctxStd[i])) : 0;
        }
        for (int c = 0; c < levels.size(); c++) {
            int idx = levels.get(c).indexOf(categorical[c]);
            for (int l = 0; l < levels.get(c).size(); l++) {
                e[at++] = l == idx ? 1 : 0;
            }
        }
        return e;
    }

    /** Expected transformed value of every feature in this context. */
    double[] expectedTransformed(double[] numeric, String[] categorical) {
        double[] b = basis(numeric, categorical);
        double[] out = new double[features()];
        for (int p = 0; p < b.length; p++) {
            if (b[p] == 0) {
                continue;
            }
            double[] row = beta[p];
            for (int j = 0; j < out.length; j++) {
                out[j] += b[p] * row[j];
            }
        }
        return out;
    }

    /** Standardised residuals z (clipped to +/- 12) of raw features in a context. */
    public double[] standardise(double[] raw, double[] numeric, String[] categorical) {
        double[] e = expectedTransformed(numeric, categorical);
        double[] z = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            double t = raw[j] == raw[j] ? transform(raw[j], log[j]) : median[j];
            z[j] = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, (t - e[j]) / scale[j]));
        }
        return z;
    }

    /** Raw-unit value a feature would have with standardised residual zhat in this context. */
    public double[] expectedRaw(double[] zhat, double[] numeric, String[] categorical) {
        double[] e = expectedTransformed(numeric, categorical);
        double[] out = new double[e.length];
        for (int j = 0; j < e.length; j++) {
            out[j] = inverse(e[j] + zhat[j] * scale[j], log[j]);
        }
        return out;
    }

    /** Fits on healthy observations. */
    public static Preprocessor fit(boolean[] log, List<double[]> raw, List<double[]> numeric, List<String[]> categorical) {
        int n = raw.size();
        int d = log.length;
        if (n == 0) {
            throw new IllegalArgumentException("no healthy observations to fit");
        }
        double[][] t = new double[n][d];
        double[] median = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                double v = raw.get(i)[j];
                if (v == v) {
                    col[m++] = transform(v, log[j]);
                }
            }
            median[j] = m == 0 ? 0 : median(Arrays.copyOf(col, m));
            for (int i = 0; i < n; i++) {
                double v = raw.get(i)[j];
                t[i][j] = v == v ? transform(v, log[j]) : median[j];
            }
        }
        int nc = numeric.isEmpty() ? 0 : numeric.get(0).length;
        double[] mean = new double[nc];
        double[] sd = new double[nc];
        for (int c = 0; c < nc; c++) {
            double s = 0;
            double s2 = 0;
            int m = 0;
            for (double[] row : numeric) {
                if (row[c] == row[c]) {
                    s += row[c];
                    s2 += row[c] * row[c];
                    m++;
                }
            }
            mean[c] = m == 0 ? 0 : s / m;
            double var = m == 0 ? 0 : s2 / m - mean[c] * mean[c];
            sd[c] = var > 1e-12 ? Math.sqrt(var) : 1;
        }
        int ncat = categorical.isEmpty() ? 0 : categorical.get(0).length;
        List<List<String>> levels = new ArrayList<>();
        for (int c = 0; c < ncat; c++) {
            List<String> seen = new ArrayList<>();
            for (String[] row : categorical) {
                if (!seen.contains(row[c])) {
                    seen.add(row[c]);
                }
                if (seen.size() > 50) {
                    break;
                }
            }
            levels.add(seen.size() > 50 ? List.of() : List.copyOf(seen));
        }
        Preprocessor shell = new Preprocessor(log, median, mean, sd, levels, new double[0][0], new double[d]);
        int p = shell.basisSize();
        double[][] phi = new double[n][];
        for (int i = 0; i < n; i++) {
            phi[i] = shell.basis(numeric.isEmpty() ? new double[0] : numeric.get(i),
                    categorical.isEmpty() ? new String[0] : categorical.get(i));
        }
        double[][] ata = new double[p][p];
        double[][] aty = new double[p][d];
        for (int i = 0; i < n; i++) {
            double[] b = phi[i];
            for (int a = 0; a < p; a++) {
                if (b[a] == 0) {
                    continue;
                }
                for (int c = a; c < p; c++) {
                    ata[a][c] += b[a] * b[c];
                }
                for (int j = 0; j < d; j++) {
                    aty[a][j] += b[a] * t[i][j];
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < p; a++) {
            for (int c = 0; c < a; c++) {
                ata[a][c] = ata[c][a];
            }
            trace += ata[a][a];
        }
        double lambda = 1e-4 * trace / p + 1e-9;
        for (int a = 1; a < p; a++) {
            ata[a][a] += lambda + 1e-3 * n / Math.max(1, p); // shrink context terms gently; intercept free
        }
        ata[0][0] += 1e-9;
        RealMatrix solution = new CholeskyDecomposition(new Array2DRowRealMatrix(ata, false), 1e-12, 1e-14)
                .getSolver().solve(new Array2DRowRealMatrix(aty, false));
        double[][] beta = solution.getData();
        Preprocessor fitted = new Preprocessor(log, median, mean, sd, levels, beta, new double[d]);
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double[] res = new double[n];
            for (int i = 0; i < n; i++) {
                double pred = 0;
                for (int a = 0; a < p; a++) {
                    pred += phi[i][a] * beta[a][j];
                }
                res[i] = t[i][j] - pred;
            }
            double med = median(res.clone());
            double[] dev = new double[n];
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                dev[i] = Math.abs(res[i] - med);
                s2 += res[i] * res[i];
            }
            double mad = 1.4826 * median(dev);
            double rmsRes = Math.sqrt(s2 / n);
            scale[j] = Math.max(Math.max(mad, 0.5 * rmsRes), 1e-3);
        }
        return new Preprocessor(log, median, mean, sd, levels, beta, scale);
    }

    static double median(double[] x) {
        if (x.length == 0) {
            return 0;
        }
        Arrays.sort(x);
        int m = x.length / 2;
        return x.length % 2 == 1 ? x[m] : 0.5 * (x[m - 1] + x[m]);
    }
}
