package dev.vigil.model.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates scored, labelled observations of one or more inputs (call {@link #startInput} between
 * inputs) and computes the metrics.
 *
 * <ul>
 *   <li>Point-wise over windows/rows: precision, recall, F1, false-alarm rate FP/(FP+TN), missed-alarm rate
 *       FN/(TP+FN). Windows with a labelled or detected sensor problem are left out (a sensor problem is not a
 *       machine anomaly).</li>
 *   <li>Event-wise: an event is a run of consecutive anomalous labels. It is detected when an alarm is up at
 *       any point of it; the delay is from its first labelled window to the first alarmed one, and the labelled
 *       severity there says how early that was. A false alarm is an alarm raised outside every event. The
 *       hypothesis counts as right when the alert's hypothesis, as last updated within the event, names the
 *       labelled fault; the accuracy at the first alarm is reported beside it.</li>
 *   <li>NAB-style score (Numenta Anomaly Benchmark, standard profile): +1 scaled by how early in the event the
 *       first alarm came (sigmoid), -1 per missed event, -0.11 per false alarm; normalised so that 0 is a
 *       detector that never alarms and 100 a perfect one.</li>
 * </ul>
 */
public final class Metrics {
    private long tp;
    private long fp;
    private long tn;
    private long fn;
    private long sensorSkipped;
    private final List<Event> events = new ArrayList<>();
    private long falseAlarms;
    private double healthySeconds;
    private Event open;
    private boolean prevAlarm;
    private double prevStart = Double.NaN;
    private double step = Double.NaN;

    /** One labelled event and how it was detected. */
    /**
     * @param hypothesis the model's hypothesis when it first alarmed in the event
     * @param latestHypothesis its hypothesis at the last alarmed window of the event (an alert's hypothesis is
     *                         updated as the fault grows)
     */
    public record Event(String input, String fault, double startS, double endS, double detectedAtS, double severityAtDetection,
                        String hypothesis, String latestHypothesis) {
        public boolean detected() {
            return detectedAtS == detectedAtS;
        }

        public double delayS() {
            return detected() ? detectedAtS - startS : Double.NaN;
        }
    }

    private String input = "";

    public void startInput(String name) {
        closeEvent();
        input = name;
        prevAlarm = false;
        prevStart = Double.NaN;
    }

    /**
     * @param startS observation time (seconds from input start)
     * @param anomalous labelled machine anomaly
     * @param fault labelled fault name (or null)
     * @param severity labelled severity
     * @param sensor a labelled or detected sensor problem
     * @param alarm whether the model's alarm is up
     * @param hypothesis the model's fault hypothesis here (or null)
     */
    public void add(double startS, boolean anomalous, String fault, double severity, boolean sensor, boolean alarm,
                    String hypothesis) {
        if (prevStart == prevStart && startS > prevStart) {
            step = step != step ? startS - prevStart : Math.min(step, startS - prevStart);
        }
        prevStart = startS;
        boolean raised = alarm && !prevAlarm;
        prevAlarm = alarm;
        if (anomalous) {
            if (open == null) {
                open = new Event(input, fault, startS, startS, Double.NaN, Double.NaN, null, null);
            }
            String latest = alarm && hypothesis != null ? hypothesis : open.latestHypothesis();
            open = new Event(input, open.fault(), open.startS(), startS, open.detectedAtS(), open.severityAtDetection(),
                    open.hypothesis(), latest);
            if (alarm && !open.detected()) {
                open = new Event(input, open.fault(), open.startS(), startS, startS, severity, hypothesis, latest);
            }
        } else {
            closeEvent();
            if (!sensor && step == step) {
                healthySeconds += step;
            }
            if (raised) {
                falseAlarms++;
            }
        }
        if (sensor) {
            sensorSkipped++;
            return;
        }
        if (anomalous && alarm) {
            tp++;
        } else if (anomalous) {
            fn++;
        } else if (alarm) {
            fp++;
        } else {
            tn++;
        }
    }

    private void closeEvent() {
        if (open != null) {
            events.add(open);
            open = null;
        }
    }

    static double sigmoid(double y) {
        return 2 / (1 + Math.exp(5 * y)) - 1;
    }

    public Map<String, Object> summary() {
        closeEvent();
        Map<String, Object> m = new TreeMap<>();
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        Map<String, Object> point = new TreeMap<>();
        point.put("truePositives", tp);
        point.put("falsePositives", fp);
        point.put("trueNegatives", tn);
        point.put("falseNegatives", fn);
        point.put("sensorSkipped", sensorSkipped);
        point.put("precision", precision);
        point.put("recall", recall);
        point.put("f1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        point.put("falseAlarmRate", fp + tn == 0 ? 0 : (double) fp / (fp + tn));
        point.put("missedAlarmRate", tp + fn == 0 ? 0 : (double) fn / (tp + fn));
        m.put("pointwise", point);

        long detected = events.stream().filter(Event::detected).count();
        Map<String, Object> ev = new TreeMap<>();
        ev.put("events", events.size());
        ev.put("detected", detected);
        ev.put("recall", events.isEmpty() ? 0 : (double) detected / events.size());
        ev.put("meanDelaySeconds", events.stream().filter(Event::detected).mapToDouble(Event::delayS).average().orElse(Double.NaN));
        ev.put("meanSeverityAtDetection", events.stream().filter(Event::detected)
                .mapToDouble(Event::severityAtDetection).average().orElse(Double.NaN));
        long named = events.stream().filter(e -> e.detected() && e.fault() != null && !e.fault().equals("anomaly")).count();
        long correct = events.stream().filter(e -> e.detected() && e.fault() != null && e.fault().equals(e.hypothesis())).count();
        long correctLatest = events.stream().filter(e -> e.detected() && e.fault() != null
                && e.fault().equals(e.latestHypothesis())).count();
        ev.put("hypothesisAccuracyAtDetection", named == 0 ? Double.NaN : (double) correct / named);
        ev.put("hypothesisAccuracy", named == 0 ? Double.NaN : (double) correctLatest / named);
        ev.put("falseAlarms", falseAlarms);
        ev.put("healthyHours", healthySeconds / 3600);
        ev.put("falseAlarmsPerHealthyHour", healthySeconds == 0 ? 0 : falseAlarms / (healthySeconds / 3600));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Event e : events) {
            Map<String, Object> one = new TreeMap<>();
            one.put("input", e.input());
            one.put("fault", e.fault());
            one.put("startS", e.startS());
            one.put("endS", e.endS());
            one.put("detected", e.detected());
            one.put("delayS", e.delayS());
            one.put("severityAtDetection", e.severityAtDetection());
            one.put("hypothesisAtDetection", e.hypothesis());
            one.put("hypothesis", e.latestHypothesis());
            list.add(one);
        }
        ev.put("list", list);
        m.put("events", ev);

        double raw = 0;
        for (Event e : events) {
            if (e.detected()) {
                double len = Math.max(e.endS() - e.startS(), 1e-9);
                double y = (e.detectedAtS() - e.startS()) / len - 1; // -1 at the start, 0 at the end
                raw += sigmoid(y);
            } else {
                raw -= 1;
            }
        }
        raw -= 0.11 * falseAlarms;
        double perfect = events.size() * sigmoid(-1);
        double nothing = -events.size();
        m.put("nab", events.isEmpty() ? Double.NaN : 100 * (raw - nothing) / (perfect - nothing));
        return m;
    }

    public List<Event> events() {
        closeEvent();
        return List.copyOf(events);
    }
}
