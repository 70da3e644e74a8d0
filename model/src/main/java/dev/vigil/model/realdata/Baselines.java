package dev.vigil.model.realdata;

import dev.vigil.model.detect.Detector;
import dev.vigil.model.detect.PcaDetector;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

import java.util.ArrayList;
import java.util.List;

/**
 * The simple baselines Vigil is compared with, fitted on the same training part in the same run:
 * <ul>
 *   <li>threshold: a window alarms when any chosen statistic (RMS, kurtosis) exceeds its training mean + 3 sigma;
 *   <li>PCA T2+Q: every feature standardised by its training mean and deviation, PCA for 90 % of the variance,
 *       a window alarms when its combined T2 and Q statistic exceeds the training mean + 3 sigma of it.</li>
 * </ul>
 * Neither smooths nor waits: each window stands alone, as these rules are usually run.
 */
final class Baselines {
    private Baselines() {
    }

    /** Mean + 3 sigma limits per column, from the training rows. */
    static double[] threeSigma(List<double[]> train) {
        int d = train.get(0).length;
        double[] limit = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = column(train, j);
            limit[j] = mean(col) + 3 * sd(col);
        }
        return limit;
    }

    static boolean exceeds(double[] row, double[] limit) {
        for (int j = 0; j < row.length; j++) {
            if (row[j] > limit[j]) {
                return true;
            }
        }
        return false;
    }

    /** PCA T2+Q fitted on training rows; {@link #alarm} judges new rows. */
    static final class Pca {
        private final double[] mean;
        private final double[] sd;
        private final PcaDetector pca;
        private final double limit;

        Pca(List<double[]> train) {
            int d = train.get(0).length;
            mean = new double[d];
            sd = new double[d];
            for (int j = 0; j < d; j++) {
                double[] col = column(train, j);
                mean[j] = mean(col);
                sd[j] = sd(col) > 1e-12 ? sd(col) : 1;
            }
            List<double[]> z = train.stream().map(this::standardise).toList();
            pca = PcaDetector.fit(z, 0.9);
            double[] s = scores(z);
            limit = mean(s) + 3 * sd(s);
        }

        private double[] standardise(double[] row) {
            double[] z = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                z[j] = (row[j] - mean[j]) / sd[j];
            }
            return z;
        }

        private double[] scores(List<double[]> z) {
            Detector.Scored[] s = pca.score(z.toArray(double[][]::new), new double[z.size()][0]);
            double[] out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = s[i].score();
            }
            return out;
        }

        boolean[] alarm(List<double[]> rows) {
            List<double[]> z = new ArrayList<>(rows.size());
            rows.forEach(r -> z.add(standardise(r)));
            double[] s = scores(z);
            boolean[] out = new boolean[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = !(s[i] <= limit); // NaN counts as an alarm: the baseline cannot vouch for the row
            }
            return out;
        }
    }

    static double[] column(List<double[]> rows, int j) {
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = rows.get(i)[j];
        }
        return c;
    }

    static double mean(double[] x) {
        return StatUtils.mean(x);
    }

    /** Sample standard deviation (n - 1). */
    static double sd(double[] x) {
        return new StandardDeviation().evaluate(x);
    }
}
