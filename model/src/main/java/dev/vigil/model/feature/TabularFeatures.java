package dev.vigil.model.feature;

import java.util.ArrayList;
import java.util.List;

/**
 * Features of already-aggregated streams (historian/SCADA rows at ~1 Hz): for each modelled column, the
 * current value and the mean and standard deviation over a sliding window of the last K rows. Until K rows
 * have arrived the window is simply shorter (the first row is scored on its own), so scoring starts at the
 * first row. One instance per stream: it holds the window.
 */
public final class TabularFeatures {
    private final FeatureSpec spec;
    private final List<FeatureDef> defs = new ArrayList<>();
    private final int k;
    private final int columns;
    private final double[][] ring;
    private long rows;

    public TabularFeatures(FeatureSpec spec) {
        if (spec.isWaveform()) {
            throw new IllegalArgumentException("not a tabular feature spec");
        }
        this.spec = spec;
        this.k = Math.max(1, spec.tabularWindowRows());
        this.columns = spec.tabularColumns().size();
        if (columns == 0) {
            throw new IllegalArgumentException("no numeric columns to model");
        }
        this.ring = new double[k][columns];
        for (String c : spec.tabularColumns()) {
            defs.add(new FeatureDef(c, c, FeatureKind.VALUE, false));
            if (k > 1) {
                defs.add(new FeatureDef(c + ".mean_" + k, c, FeatureKind.MEAN, false));
                defs.add(new FeatureDef(c + ".std_" + k, c, FeatureKind.STD, false));
            }
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    public List<FeatureDef> features() {
        return List.copyOf(defs);
    }

    public List<String> numericContext() {
        return spec.contextColumns();
    }

    public List<String> categoricalContext() {
        return spec.categoricalContextColumns();
    }

    /** Adds one row (values in {@code tabularColumns} order) and returns its observation. */
    public Observation push(long index, double startS, long epochMillis, double[] values, double[] numericContext,
                            String[] categoricalContext) {
        return push(index, startS, epochMillis, values, numericContext, categoricalContext, null);
    }

    /**
     * Adds one row and returns its observation.
     *
     * @param constants this row's values of the columns constant in training ({@code constantColumns} order; NaN
     *                  where the row lacks one), or null
     */
    public Observation push(long index, double startS, long epochMillis, double[] values, double[] numericContext,
                            String[] categoricalContext, double[] constants) {
        System.arraycopy(values, 0, ring[(int) (rows % k)], 0, columns);
        rows++;
        int n = (int) Math.min(rows, k);
        double[] out = new double[defs.size()];
        int at = 0;
        String issue = null;
        for (int c = 0; c < columns; c++) {
            double v = values[c];
            double sum = 0;
            double sq = 0;
            int finite = 0;
            for (int r = 0; r < n; r++) {
                double x = ring[r][c];
                if (x == x) {
                    sum += x;
                    sq += x * x;
                    finite++;
                }
            }
            double mean = finite > 0 ? sum / finite : Double.NaN;
            out[at++] = v;
            if (k > 1) {
                out[at++] = mean;
                out[at++] = finite > 1 ? Math.sqrt(Math.max(0, sq / finite - mean * mean)) : 0;
            }
            if (v != v && issue == null) {
                issue = "missing:" + spec.tabularColumns().get(c);
            }
        }
        return new Observation(index, startS, epochMillis, out, numericContext, categoricalContext, issue, true,
                cameAlive(constants));
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Notes for the columns constant in training that hold another value in this row. */
    private List<String> cameAlive(double[] constants) {
        if (constants == null || constants.length == 0) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        int i = 0;
        for (java.util.Map.Entry<String, Double> c : spec.constantColumns().entrySet()) {
            double v = i < constants.length ? constants[i] : Double.NaN;
            i++;
            double was = c.getValue();
            if (v == v && Math.abs(v - was) > 1e-9 * Math.max(1, Math.abs(was))) {
                notes.add(c.getKey() + " moved: " + plain(v) + " (constant " + plain(was) + " in all training data, so "
                        + "not modelled; retrain with data where it moves to watch it)");
            }
        }
        return notes;
    }
}
