package dev.vigil.model.eval;

import dev.vigil.format.ChannelMeta;
import dev.vigil.format.RecordingReader;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.signal.Envelope;
import dev.vigil.model.signal.Moments;
import dev.vigil.model.signal.Spectrum;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report (inline SVG and CSS, no scripts or network): metrics, score against the
 * warning and critical levels over time with labelled anomalies shaded, the features that drove alarms, and
 * for waveform inputs the spectrum and envelope spectrum at the most anomalous window beside a healthy one.
 */
public final class HtmlReport {
    private static final int W = 960;
    private static final int H = 260;

    private HtmlReport() {
    }

    public static void write(Path file, Bundle bundle, Evaluation e, String modelName) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Vigil evaluation</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;"
                        + "margin-top:28px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "text-align:left;font-size:13px}.k{color:#666}svg{background:#fafafa;border:1px solid #ddd}")
                .append("</style></head><body>");
        h.append("<h1>Vigil evaluation: ").append(esc(modelName)).append("</h1>");
        h.append("<p class=k>Detector ").append(esc(bundle.model().detector().name())).append(", ")
                .append(bundle.model().features().size()).append(" features, warning ")
                .append(fmt(bundle.model().calibration().warning())).append(", critical ")
                .append(fmt(bundle.model().calibration().critical())).append("</p>");
        metrics(h, e.summary());
        for (Evaluation.Series s : e.series()) {
            h.append("<h2>").append(esc(s.input().toString())).append("</h2>");
            h.append(scoreChart(s.points()));
            h.append("<p class=k>Red shading: labelled machine anomaly (darker = more severe); grey: sensor problem; "
                    + "orange bar: alarm raised. Dashed lines: warning and critical levels (log scale).</p>");
            if (bundle.model().spec().isWaveform()) {
                spectra(h, bundle.model().spec(), s);
            }
        }
        h.append("<h2>What drove the alarms</h2>").append(bars(e.meanContribution()));
        h.append("</body></html>\n");
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static void metrics(StringBuilder h, Map<String, Object> m) {
        Map<String, Object> p = (Map<String, Object>) m.get("pointwise");
        Map<String, Object> ev = (Map<String, Object>) m.get("events");
        h.append("<h2>Metrics</h2><table><tr><th>point-wise</th><th></th><th>event-wise</th><th></th></tr>");
        String[][] rows = {
                {"precision", fmt(p.get("precision")), "events", String.valueOf(ev.get("events"))},
                {"recall", fmt(p.get("recall")), "detected", String.valueOf(ev.get("detected"))},
                {"F1", fmt(p.get("f1")), "event recall", fmt(ev.get("recall"))},
                {"false-alarm rate", fmt(p.get("falseAlarmRate")), "mean delay (s)", fmt(ev.get("meanDelaySeconds"))},
                {"missed-alarm rate", fmt(p.get("missedAlarmRate")), "severity at detection", fmt(ev.get("meanSeverityAtDetection"))},
                {"NAB-style score", fmt(m.get("nab")), "false alarms", String.valueOf(ev.get("falseAlarms"))},
                {"", "", "hypothesis accuracy", fmt(ev.get("hypothesisAccuracy"))}};
        for (String[] r : rows) {
            h.append("<tr>");
            for (String c : r) {
                h.append("<td>").append(esc(c)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        List<Map<String, Object>> list = (List<Map<String, Object>>) ev.get("list");
        if (!list.isEmpty()) {
            h.append("<h2>Events</h2><table><tr><th>input</th><th>fault</th><th>from (s)</th><th>to (s)</th><th>detected</th>"
                    + "<th>delay (s)</th><th>severity then</th><th>hypothesis</th></tr>");
            for (Map<String, Object> one : list) {
                h.append("<tr><td>").append(esc(String.valueOf(one.get("input")))).append("</td><td>")
                        .append(esc(String.valueOf(one.get("fault")))).append("</td><td>").append(fmt(one.get("startS")))
                        .append("</td><td>").append(fmt(one.get("endS"))).append("</td><td>").append(one.get("detected"))
                        .append("</td><td>").append(fmt(one.get("delayS"))).append("</td><td>")
                        .append(fmt(one.get("severityAtDetection"))).append("</td><td>")
                        .append(esc(String.valueOf(one.get("hypothesis")))).append("</td></tr>");
            }
            h.append("</table>");
        }
    }

    private static String scoreChart(List<Evaluation.Point> pts) {
        if (pts.isEmpty()) {
            return "<p>no points</p>";
        }
        double t0 = pts.get(0).startS();
        double t1 = pts.get(pts.size() - 1).startS();
        double span = Math.max(t1 - t0, 1e-9);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Evaluation.Point p : pts) {
            if (p.smoothed() > 0) {
                lo = Math.min(lo, p.smoothed());
                hi = Math.max(hi, p.smoothed());
            }
            hi = Math.max(hi, p.critical());
        }
        lo = Math.max(Math.min(lo, pts.get(0).warning() / 10), 1e-3);
        double llo = Math.log10(lo);
        double lhi = Math.log10(hi * 1.5);
        StringBuilder s = new StringBuilder("<svg width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H
                + "\" xmlns=\"http://www.w3.org/2000/svg\">");
        double dx = W / (double) Math.max(1, pts.size());
        for (Evaluation.Point p : pts) {
            double x = (p.startS() - t0) / span * (W - 10) + 5;
            if (p.anomalous()) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"rgb(220,40,40)\" "
                        + "fill-opacity=\"%.2f\"/>", x, Math.max(dx, 1), H - 12, 0.08 + 0.3 * Math.min(1, p.severity())));
            } else if (p.sensor()) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"#999\" "
                        + "fill-opacity=\"0.3\"/>", x, Math.max(dx, 1), H - 12));
            }
            if (p.alarm()) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"#f90\"/>",
                        x, H - 10, Math.max(dx, 1)));
            }
        }
        for (double level : new double[]{pts.get(0).warning(), pts.get(0).critical()}) {
            double y = y(level, llo, lhi);
            s.append(String.format(Locale.ROOT, "<line x1=\"0\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    + "stroke-dasharray=\"6 4\"/>", W, y, y, level == pts.get(0).warning() ? "#e6a100" : "#c00"));
        }
        StringBuilder path = new StringBuilder();
        for (Evaluation.Point p : pts) {
            if (!(p.smoothed() > 0)) {
                continue;
            }
            double x = (p.startS() - t0) / span * (W - 10) + 5;
            path.append(path.isEmpty() ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", x, y(p.smoothed(), llo, lhi)));
        }
        s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.2\"/>");
        s.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"14\" font-size=\"11\">score (log) %.3g .. %.3g; "
                + "time %.0f .. %.0f s</text>", lo, hi, t0, t1));
        return s.append("</svg>").toString();
    }

    private static double y(double v, double llo, double lhi) {
        double t = (Math.log10(Math.max(v, 1e-12)) - llo) / (lhi - llo);
        return (H - 14) - Math.max(0, Math.min(1, t)) * (H - 24);
    }

    private static String bars(Map<String, Double> shares) {
        if (shares.isEmpty()) {
            return "<p>No alarms were raised.</p>";
        }
        int rowH = 20;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "xmlns=\"http://www.w3.org/2000/svg\">", W, rowH * shares.size() + 10));
        double max = shares.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        int i = 0;
        for (Map.Entry<String, Double> e : shares.entrySet()) {
            double w = e.getValue() / max * (W - 340);
            s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"12\">%s</text><rect x=\"300\" y=\"%d\" "
                    + "width=\"%.1f\" height=\"14\" fill=\"#1f5fbf\"/><text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.1f %%</text>",
                    i * rowH + 16, esc(e.getKey()), i * rowH + 4, w, 305 + w, i * rowH + 16, 100 * e.getValue()));
            i++;
        }
        return s.append("</svg>").toString();
    }

    private static void spectra(StringBuilder h, FeatureSpec spec, Evaluation.Series s) {
        FeatureSpec.ChannelUse vib = spec.channels().stream().filter(c -> c.use().equals(FeatureSpec.ChannelUse.VIBRATION))
                .findFirst().orElse(null);
        if (vib == null) {
            return;
        }
        Evaluation.Point worst = null;
        Evaluation.Point healthy = null;
        for (Evaluation.Point p : s.points()) {
            if (!p.sensor() && p.smoothed() == p.smoothed() && (worst == null || p.smoothed() > worst.smoothed())) {
                worst = p;
            }
            // a scored, healthy, quiet window (transients carry no hypothesis: they were not scored)
            if (healthy == null && !p.anomalous() && !p.sensor() && !p.alarm() && p.hypothesis() != null) {
                healthy = p;
            }
        }
        if (worst == null) {
            return;
        }
        try {
            RecordingReader r = RecordingReader.open(s.input());
            ChannelMeta c = r.meta().channel(vib.name()).orElseThrow();
            int n = Integer.highestOneBit((int) Math.round(c.sampleRateHz() * spec.windowSeconds()));
            h.append("<h3>").append(esc(vib.name())).append(": spectrum at the most anomalous window (t = ")
                    .append(fmt(worst.startS())).append(" s, red)").append(healthy == null ? "" : " and a healthy one (t = "
                            + fmt(healthy.startS()) + " s, grey)").append("</h3>");
            double[] bad = spectrum(r, vib.name(), worst.startS(), c.sampleRateHz(), n, false, spec);
            double[] good = healthy == null ? null : spectrum(r, vib.name(), healthy.startS(), c.sampleRateHz(), n, false, spec);
            h.append(line(bad, good, c.sampleRateHz() / n, c.sampleRateHz() / 2, true));
            double[] envBad = spectrum(r, vib.name(), worst.startS(), c.sampleRateHz(), n, true, spec);
            double[] envGood = healthy == null ? null : spectrum(r, vib.name(), healthy.startS(), c.sampleRateHz(), n, true, spec);
            h.append("<h3>Envelope spectrum (band ").append(fmt(spec.envelopeBandFraction()[0] * c.sampleRateHz())).append("-")
                    .append(fmt(spec.envelopeBandFraction()[1] * c.sampleRateHz())).append(" Hz), 0-1,500 Hz</h3>");
            h.append(line(envBad, envGood, c.sampleRateHz() / n, Math.min(1500, c.sampleRateHz() / 2), false));
        } catch (IOException | RuntimeException ex) {
            h.append("<p>spectra unavailable: ").append(esc(String.valueOf(ex.getMessage()))).append("</p>");
        }
    }

    private static double[] spectrum(RecordingReader r, String channel, double startS, double rate, int n, boolean envelope,
                                     FeatureSpec spec) throws IOException {
        long from = Math.round((startS + spec.windowSeconds()) * rate) - n;
        float[] x = r.read(channel, Math.max(0, from), n);
        if (x.length < n) {
            x = java.util.Arrays.copyOf(x, n);
        }
        Spectrum sp = new Spectrum(n, rate).compute(x, 0, Moments.of(x, 0, n).mean());
        if (!envelope) {
            return sp.amplitudes().clone();
        }
        return new Envelope(sp, spec.envelopeBandFraction()[0] * rate, spec.envelopeBandFraction()[1] * rate).compute()
                .amplitudes().clone();
    }

    private static String line(double[] a, double[] b, double binHz, double maxHz, boolean log) {
        int bins = Math.min(a.length, (int) (maxHz / binHz));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "xmlns=\"http://www.w3.org/2000/svg\">", W, H));
        double max = 1e-12;
        for (int k = 1; k < bins; k++) {
            max = Math.max(max, Math.max(a[k], b == null ? 0 : b[k]));
        }
        for (double[] series : b == null ? new double[][]{a} : new double[][]{b, a}) {
            StringBuilder p = new StringBuilder();
            int stride = Math.max(1, bins / 2000);
            for (int k = 1; k < bins; k += stride) {
                double v = series[k];
                for (int j = k; j < Math.min(bins, k + stride); j++) {
                    v = Math.max(v, series[j]);
                }
                double x = (double) k / bins * (W - 10) + 5;
                double t = log ? (Math.log10(Math.max(v, max * 1e-5)) - Math.log10(max * 1e-5)) / 5 : v / max;
                double y = (H - 20) - t * (H - 30);
                p.append(p.isEmpty() ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ", x, y));
            }
            s.append("<path d=\"").append(p).append("\" fill=\"none\" stroke=\"").append(series == a ? "#c22" : "#999")
                    .append("\" stroke-width=\"1\"/>");
        }
        s.append(String.format(Locale.ROOT, "<text x=\"6\" y=\"%d\" font-size=\"11\">0 Hz</text><text x=\"%d\" y=\"%d\" "
                + "font-size=\"11\">%.0f Hz</text>", H - 4, W - 80, H - 4, maxHz));
        return s.append("</svg>").toString();
    }

    static String fmt(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != d) {
                return "-";
            }
            return Math.abs(d) >= 100 || d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d)
                    : String.format(Locale.ROOT, "%.3f", d);
        }
        return v == null ? "-" : String.valueOf(v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
