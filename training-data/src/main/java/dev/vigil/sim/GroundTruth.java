package dev.vigil.sim;

import dev.vigil.domain.FaultType;
import dev.vigil.format.Label;

import java.util.ArrayList;
import java.util.List;

/**
 * What was injected, when, and how bad it was at every moment, in recording time. Per-window labels can be
 * derived for any window size; labels.csv holds the same truth as piecewise-constant rows.
 */
public final class GroundTruth {
    private static final int MAX_ROWS_PER_FAULT = 400;

    private final List<FaultSpec> faults;
    private final double speedup;
    private final double recordingS;
    private final double stepS;

    GroundTruth(List<FaultSpec> faults, double speedup, double recordingS, double blockS) {
        this.faults = List.copyOf(faults);
        this.speedup = speedup;
        this.recordingS = recordingS;
        this.stepS = Math.max(blockS, Math.ceil(recordingS / MAX_ROWS_PER_FAULT / blockS) * blockS);
    }

    /** A fault present in a window. */
    public record WindowLabel(FaultType type, String location, double severity) {
        public boolean isSensorFault() {
            return type.isSensorFault();
        }
    }

    public List<FaultSpec> faults() {
        return faults;
    }

    /** Recording time at which the fault appears. */
    public double onsetS(FaultSpec f) {
        return f.onsetS() / speedup;
    }

    public double severityAt(FaultSpec f, double recordingS) {
        return f.severityAt(recordingS * speedup);
    }

    /** Faults present anywhere in [fromS, toS), each with its highest severity there (severity never falls). */
    public List<WindowLabel> labelsFor(double fromS, double toS) {
        List<WindowLabel> out = new ArrayList<>();
        for (FaultSpec f : faults) {
            // block times are sums of 0.1 s steps: a window ending a hair after the onset does not contain it
            if (onsetS(f) >= toS - 1e-9) {
                continue;
            }
            double s = f.severityAt(Math.min(toS, recordingS) * speedup);
            if (s > 0) {
                out.add(new WindowLabel(f.type(), location(f), s));
            }
        }
        return out;
    }

    /** Label times are kept to the microsecond so that labels.csv round-trips exactly. */
    private static double micros(double s) {
        return Math.round(s * 1e6) / 1e6;
    }

    static String location(FaultSpec f) {
        if (f.type().isSensorFault()) {
            return f.channel();
        }
        return f.axis() > 0 ? "j" + f.axis() : "";
    }

    /** Rows for labels.csv: piecewise constant, severity taken at each segment's middle. */
    public List<Label> labels() {
        List<Label> rows = new ArrayList<>();
        for (FaultSpec f : faults) {
            double onset = onsetS(f);
            if (onset >= recordingS) {
                continue;
            }
            String category = f.type().isSensorFault() ? Label.SENSOR : Label.MACHINE;
            double from = micros(onset);
            Label open = null;
            while (from < recordingS - 1e-9) {
                double to = micros(Math.min(recordingS, (Math.floor(from / stepS + 1e-9) + 1) * stepS));
                double sev = Math.round(severityAt(f, 0.5 * (from + to)) * 1e4) / 1e4;
                if (open != null && open.severity() == sev) {
                    open = new Label(open.startS(), to, open.fault(), sev, category, open.channel());
                } else {
                    if (open != null) {
                        rows.add(open);
                    }
                    open = new Label(from, to, f.type().id(), sev, category, location(f));
                }
                from = to;
            }
            if (open != null) {
                rows.add(open);
            }
        }
        return rows;
    }
}
