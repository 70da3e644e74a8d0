package dev.vigil.model.detect;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PCA on standardised residuals with the two classic monitoring statistics: Hotelling's T-squared inside
 * the principal subspace and the squared prediction error (SPE, Q) outside it. Score = T2 / T2_ref +
 * SPE / SPE_ref, each divided by its mean on the training data, halved: about 1 when healthy.
 *
 * @param mean column means of the training z
 * @param components principal directions, [k][d]
 * @param eigenvalues their variances
 * @param t2Ref mean T2 on training data
 * @param speRef mean SPE on training data
 * @param varianceKept share of variance the components explain
 */
public record PcaDetector(double[] mean, double[][] components, double[] eigenvalues, double t2Ref, double speRef,
                          double varianceKept) implements Detector {


    public static PcaDetector fit(List<double[]> z, double varianceToKeep) {
        int n = z.size();
        int d = z.get(0).length;
        double[] mean = new double[d];
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        double[][] cov = new double[d][d];
        for (double[] row : z) {
            for (int a = 0; a < d; a++) {
                double da = row[a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += da * (row[b] - mean[b]) / Math.max(1, n - 1);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        // fewer observations than features leave the covariance singular, and the eigen solver may then fail to
        // converge: a ridge of a millionth of the mean variance keeps it positive definite without moving the
        // components that matter
        double trace = 0;
        for (int a = 0; a < d; a++) {
            trace += cov[a][a];
        }
        double ridge = 1e-6 * Math.max(trace / d, 1e-12);
        for (int a = 0; a < d; a++) {
            cov[a][a] += ridge;
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double total = 0;
        for (double v : values) {
            total += Math.max(0, v);
        }
        int k = 0;
        double kept = 0;
        while (k < d - 1 && (kept < varianceToKeep * total || k == 0)) {
            kept += Math.max(0, values[order[k]]);
            k++;
        }
        RealMatrix vectors = eig.getV();
        double[][] comps = new double[k][];
        double[] lambdas = new double[k];
        for (int i = 0; i < k; i++) {
            comps[i] = vectors.getColumn(order[i]);
            lambdas[i] = Math.max(values[order[i]], 1e-6 * Math.max(total, 1e-12));
        }
        PcaDetector raw = new PcaDetector(mean, comps, lambdas, 1, 1, total > 0 ? kept / total : 1);
        double t2 = 0;
        double spe = 0;
        for (double[] row : z) {
            double[] parts = raw.statistics(row, null);
            t2 += parts[0] / n;
            spe += parts[1] / n;
        }
        return new PcaDetector(mean, comps, lambdas, Math.max(t2, 1e-9), Math.max(spe, 1e-9), raw.varianceKept);
    }

    /** {T2, SPE}; fills zhat (the projection onto the principal subspace) when given. */
    private double[] statistics(double[] z, double[] zhat) {
        int d = mean.length;
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = z[j] - mean[j];
        }
        double t2 = 0;
        double[] proj = new double[d];
        for (int i = 0; i < components.length; i++) {
            double score = 0;
            double[] p = components[i];
            for (int j = 0; j < d; j++) {
                score += p[j] * c[j];
            }
            t2 += score * score / eigenvalues[i];
            for (int j = 0; j < d; j++) {
                proj[j] += score * p[j];
            }
        }
        double spe = 0;
        for (int j = 0; j < d; j++) {
            double r = c[j] - proj[j];
            spe += r * r;
            if (zhat != null) {
                zhat[j] = proj[j] + mean[j];
            }
        }
        return new double[]{t2, spe};
    }

    @Override
    public DetectorKind kind() {
        return DetectorKind.PCA;
    }

    @Override
    public Map<String, Object> hyperParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("components", components.length);
        m.put("varianceKept", varianceKept);
        return m;
    }

    @Override
    public Scored[] score(double[][] z, double[][] context) {
        Scored[] out = new Scored[z.length];
        int d = mean.length;
        for (int r = 0; r < z.length; r++) {
            double[] zhat = new double[d];
            double[] st = statistics(z[r], zhat);
            // contributions: SPE by squared residual; T2 by each feature's share of the distance in the subspace
            double[] w = new double[d];
            double[] c = new double[d];
            for (int j = 0; j < d; j++) {
                c[j] = z[r][j] - mean[j];
                double res = z[r][j] - zhat[j];
                w[j] = res * res / speRef;
            }
            for (int i = 0; i < components.length; i++) {
                double score = 0;
                for (int j = 0; j < d; j++) {
                    score += components[i][j] * c[j];
                }
                for (int j = 0; j < d; j++) {
                    w[j] += Math.max(0, score / eigenvalues[i] * components[i][j] * c[j]) / t2Ref;
                }
            }
            out[r] = new Scored(0.5 * (st[0] / t2Ref + st[1] / speRef), Detector.shares(w), zhat);
        }
        return out;
    }
}
