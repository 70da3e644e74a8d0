package dev.vigil.model.data;

import dev.vigil.format.ChannelMeta;
import dev.vigil.format.ChannelReader;
import dev.vigil.format.DatasetFormatException;
import dev.vigil.format.Label;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingReader;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureSpec.ChannelUse;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.SettlingGate;
import dev.vigil.model.feature.WaveformFeatures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads waveform recordings window by window through the feature pipeline. */
public final class RecordingInput {
    /** Fraction of the sample rate bounding the default envelope band: above shaft harmonics, below anti-alias roll-off. */
    public static final double[] DEFAULT_ENVELOPE_BAND = {0.15, 0.42};

    private RecordingInput() {
    }

    /** Decides from the first recording how each channel is used. */
    public static FeatureSpec deriveSpec(Path first, InputOptions options, double windowSeconds, double hopSeconds,
                                         DataQualityReport.Builder dq) throws IOException {
        RecordingReader r = RecordingReader.open(first);
        RecordingMeta meta = r.meta();
        List<ChannelUse> uses = new ArrayList<>();
        for (ChannelMeta c : meta.channels()) {
            if (options.ignore().contains(c.name())) {
                continue;
            }
            String use = switch (c.role()) {
                case "vibration" -> ChannelUse.VIBRATION;
                case "current" -> isAlternating(r, c) ? ChannelUse.AC_CURRENT : ChannelUse.SERVO_CURRENT;
                case "position" -> ChannelUse.POSITION;
                case "tag" -> tagUse(r, c, dq, first);
                default -> c.unit().equals("g") ? ChannelUse.VIBRATION : null;
            };
            if (use == null) {
                dq.warning(first.toString(), c.name(), "", "channel with role '" + c.role() + "' and unit '" + c.unit()
                        + "' is not used (expected vibration, current, position or tag)");
                continue;
            }
            if (use.equals(ChannelUse.VIBRATION) && c.sampleRateHz() * windowSeconds < 64) {
                throw new IllegalArgumentException(first + ": channel " + c.name() + " gives only "
                        + Math.round(c.sampleRateHz() * windowSeconds) + " samples per " + windowSeconds + " s window; use a longer --window");
            }
            uses.add(new ChannelUse(c.name(), c.unit(), c.sampleRateHz(), use));
        }
        for (String ignored : options.ignore()) {
            if (meta.channel(ignored).isEmpty()) {
                throw new IllegalArgumentException(first + ": --ignore names channel '" + ignored + "', which is not in the recording");
            }
        }
        return new FeatureSpec(FeatureSpec.WAVEFORM, windowSeconds, hopSeconds, uses, meta.bearing(),
                DEFAULT_ENVELOPE_BAND.clone(), 0, List.of(), List.of(), List.of(), null, null);
    }

    /** AC motor currents swing about zero; a servo's torque current sits at its load. */
    private static boolean isAlternating(RecordingReader r, ChannelMeta c) throws IOException {
        int n = (int) Math.min(c.samples(), Math.round(c.sampleRateHz() * 2));
        float[] x = r.read(c.name(), Math.max(0, c.samples() / 2 - n / 2), n);
        double sumAbs = 0;
        double sum = 0;
        int finite = 0;
        for (float v : x) {
            if (v == v) {
                sum += v;
                sumAbs += Math.abs(v);
                finite++;
            }
        }
        return finite == 0 || Math.abs(sum) < 0.2 * sumAbs;
    }

    private static String tagUse(RecordingReader r, ChannelMeta c, DataQualityReport.Builder dq, Path file)
            throws IOException {
        if (c.unit().equals("rpm")) {
            return ChannelUse.SPEED;
        }
        if (c.unit().equals("Hz")) {
            return ChannelUse.SUPPLY;
        }
        if (c.unit().equals("%")) {
            // load in percent is the machine measuring its own effort: a worn tool shows there
            return ChannelUse.TAG_MEASURED;
        }
        SignalProfile p = new SignalProfile(c.name());
        boolean integral = true;
        try (ChannelReader cr = r.channel(c.name())) {
            float[] buf = new float[4096];
            int n;
            long row = 0;
            while ((n = cr.read(buf, 0, buf.length)) > 0) {
                for (int i = 0; i < n; i++) {
                    p.add(row++, buf[i]);
                    integral &= buf[i] != buf[i] || buf[i] == Math.rint(buf[i]);
                }
            }
        }
        if (p.monotonic()) {
            dq.warning(file.toString(), c.name(), "", "monotonic tag (a counter or clock, not an operating condition): not used");
            return null;
        }
        return integral && c.unit().equals("1") ? ChannelUse.TAG_CATEGORICAL : ChannelUse.TAG_NUMERIC;
    }

    /**
     * Streams a recording's windows.
     *
     * @return number of windows read
     */
    public static long read(Path dir, WaveformFeatures features, DataQualityReport.Builder dq,
                            Consumer<LabelledObservation> sink) throws IOException {
        RecordingReader r = RecordingReader.open(dir);
        FeatureSpec spec = features.spec();
        List<ChannelUse> uses = spec.channels();
        ChannelReader[] readers = new ChannelReader[uses.size()];
        double duration = Double.MAX_VALUE;
        for (int i = 0; i < uses.size(); i++) {
            ChannelUse u = uses.get(i);
            ChannelMeta c = r.meta().channel(u.name()).orElseThrow(() -> new DatasetFormatException(dir,
                    "channel '" + u.name() + "' that the model uses is missing (channels: "
                            + r.meta().channels().stream().map(ChannelMeta::name).toList() + ")"));
            if (c.sampleRateHz() != u.sampleRateHz()) {
                throw new DatasetFormatException(dir, "channel '" + u.name() + "' is sampled at " + c.sampleRateHz()
                        + " Hz, the model expects " + u.sampleRateHz() + " Hz");
            }
            duration = Math.min(duration, c.durationS());
        }
        List<Label> labels = r.labels();
        boolean labelled = !labels.isEmpty() || java.nio.file.Files.exists(dir.resolve("labels.csv"));
        long windows = duration < spec.windowSeconds() ? 0
                : (long) Math.floor((duration - spec.windowSeconds()) / spec.hopSeconds() + 1e-9) + 1;
        if (windows == 0) {
            dq.error(dir.toString(), "", "", String.format(java.util.Locale.ROOT,
                    "recording is %.2f s long, shorter than one %.2f s window", duration, spec.windowSeconds()));
            return 0;
        }
        long startMillis = r.meta().start().toEpochMilli();
        float[][] bufs = new float[uses.size()][];
        SettlingGate gate = new SettlingGate();
        try {
            for (int i = 0; i < uses.size(); i++) {
                readers[i] = r.channel(uses.get(i).name());
                bufs[i] = new float[features.samples(i)];
            }
            for (long w = 0; w < windows; w++) {
                double start = w * spec.hopSeconds();
                for (int i = 0; i < uses.size(); i++) {
                    long from = Math.round(start * uses.get(i).sampleRateHz());
                    if (readers[i].position() != from) {
                        readers[i].seek(from);
                    }
                    int got = 0;
                    while (got < bufs[i].length) {
                        int n = readers[i].read(bufs[i], got, bufs[i].length - got);
                        if (n < 0) {
                            break;
                        }
                        got += n;
                    }
                }
                Observation o = gate.apply(features.extract(w, start,
                        startMillis + Math.round((start + spec.windowSeconds()) * 1000), bufs));
                sink.accept(truth(o, labels, labelled, start, start + spec.windowSeconds()));
            }
        } finally {
            for (ChannelReader cr : readers) {
                if (cr != null) {
                    cr.close();
                }
            }
        }
        dq.observations(windows);
        return windows;
    }

    private static LabelledObservation truth(Observation o, List<Label> labels, boolean labelled, double from, double to) {
        String fault = null;
        double severity = 0;
        String sensor = null;
        for (Label l : labels) {
            if (!l.overlaps(from, to) || l.severity() <= 0) {
                continue;
            }
            if (l.category().equals(Label.SENSOR)) {
                sensor = l.fault() + ":" + l.channel();
            } else if (l.severity() >= severity) {
                severity = l.severity();
                fault = l.fault();
            }
        }
        return new LabelledObservation(o, fault, severity, sensor, labelled);
    }
}
