package dev.vigil.sim;

import dev.vigil.format.TabularCsvWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * What an edge gateway exports when it cannot ship waveforms: per interval (typically 1 s) the RMS, peak and
 * kurtosis of each vibration channel, the RMS of each current channel, the mean of each tag, and the ground
 * truth as label columns {@code fault} and {@code severity}.
 */
public final class GatewayAggregator {
    private final Simulation sim;
    private final double intervalS;

    public GatewayAggregator(Simulation sim, double intervalS) {
        double blocks = intervalS / sim.spec().blockSeconds();
        if (!(intervalS > 0) || Math.abs(blocks - Math.rint(blocks)) > 1e-9) {
            throw new IllegalArgumentException("interval " + intervalS + " s must be a whole number of "
                    + sim.spec().blockSeconds() + " s blocks");
        }
        this.sim = sim;
        this.intervalS = intervalS;
    }

    public List<String> columns() {
        List<String> cols = new ArrayList<>();
        for (ChannelInfo c : sim.channels()) {
            switch (c.role()) {
                case ChannelInfo.VIBRATION -> {
                    cols.add(c.name() + "_rms");
                    cols.add(c.name() + "_peak");
                    cols.add(c.name() + "_kurtosis");
                }
                case ChannelInfo.CURRENT -> cols.add(c.name() + "_rms");
                default -> cols.add(c.name() + "_mean");
            }
        }
        return cols;
    }

    /** Writes the aggregates of the whole simulation; returns the number of rows. */
    public long write(Path csv) throws IOException {
        int perRow = (int) Math.round(intervalS / sim.spec().blockSeconds());
        List<ChannelInfo> channels = sim.channels();
        int nc = channels.size();
        long rows = 0;
        try (TabularCsvWriter w = new TabularCsvWriter(csv, columns(), List.of("fault", "severity"))) {
            Iterator<SimBlock> it = sim.blocks();
            double[] s1 = new double[nc];
            double[] s2 = new double[nc];
            double[] s4 = new double[nc];
            double[] peak = new double[nc];
            long[] n = new long[nc];
            int inRow = 0;
            double rowStart = 0;
            while (it.hasNext()) {
                SimBlock b = it.next();
                if (inRow == 0) {
                    rowStart = b.startS();
                }
                for (int c = 0; c < nc; c++) {
                    for (float v : b.samples()[c]) {
                        if (Float.isNaN(v)) {
                            continue;
                        }
                        s1[c] += v;
                        s2[c] += v * (double) v;
                        peak[c] = Math.max(peak[c], Math.abs(v));
                        n[c]++;
                    }
                }
                // kurtosis needs the mean first; a second pass over the block keeps memory bounded
                for (int c = 0; c < nc; c++) {
                    if (channels.get(c).role().equals(ChannelInfo.VIBRATION)) {
                        for (float v : b.samples()[c]) {
                            if (!Float.isNaN(v)) {
                                double d = v * (double) v;
                                s4[c] += d * d;
                            }
                        }
                    }
                }
                if (++inRow == perRow || !it.hasNext()) {
                    double[] values = new double[columns().size()];
                    int k = 0;
                    for (int c = 0; c < nc; c++) {
                        double mean = n[c] == 0 ? Double.NaN : s1[c] / n[c];
                        double ms = n[c] == 0 ? Double.NaN : s2[c] / n[c];
                        switch (channels.get(c).role()) {
                            case ChannelInfo.VIBRATION -> {
                                values[k++] = Math.sqrt(ms);
                                values[k++] = n[c] == 0 ? Double.NaN : peak[c];
                                // accelerometers are AC-coupled (zero mean), so raw moments give the kurtosis
                                values[k++] = n[c] == 0 || ms == 0 ? Double.NaN : (s4[c] / n[c]) / (ms * ms);
                            }
                            case ChannelInfo.CURRENT -> values[k++] = Math.sqrt(ms);
                            default -> values[k++] = mean;
                        }
                    }
                    double rowEnd = b.startS() + sim.spec().blockSeconds();
                    var worst = sim.groundTruth().labelsFor(rowStart, rowEnd).stream()
                            .max(Comparator.comparingDouble(GroundTruth.WindowLabel::severity));
                    Instant t = sim.start().plusNanos(Math.round(rowStart * 1e9));
                    w.write(t, values, worst.map(l -> l.type().id()).orElse("normal"),
                            worst.map(l -> String.format(java.util.Locale.ROOT, "%.4f", l.severity())).orElse("0"));
                    rows++;
                    inRow = 0;
                    java.util.Arrays.fill(s1, 0);
                    java.util.Arrays.fill(s2, 0);
                    java.util.Arrays.fill(s4, 0);
                    java.util.Arrays.fill(peak, 0);
                    java.util.Arrays.fill(n, 0);
                }
            }
        }
        return rows;
    }
}
