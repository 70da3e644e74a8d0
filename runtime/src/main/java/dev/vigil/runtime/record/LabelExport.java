package dev.vigil.runtime.record;

import dev.vigil.format.Label;
import dev.vigil.format.LabelsCsv;
import dev.vigil.format.RecordingMeta;
import dev.vigil.format.RecordingReader;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.Category;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Engineers' verdicts as training labels. For each resolved alert with a recording: {@code confirmed} writes a
 * labels.csv naming the confirmed fault from the alert's first window to the end of the recording;
 * {@code false-alarm} writes an empty labels.csv (the recording is labelled healthy); {@code unknown} leaves it
 * unlabelled. Every resolved alert is also listed in a summary CSV, with its recording when there is one.
 */
public final class LabelExport {
    private final Path recordings;

    public LabelExport(Path recordings) {
        this.recordings = recordings;
    }

    /** The capture of an alert, or null. */
    Path captureOf(Alert a) throws IOException {
        Path dir = recordings.resolve(a.machineId());
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("alert-" + a.id() + "-")
                    && !p.getFileName().toString().endsWith(".partial")).findFirst().orElse(null);
        }
    }

    /**
     * A text cell an engineer typed, made safe for spreadsheets: one starting with {@code = + - @} (or a tab or
     * carriage return) would run as a formula when the summary is opened; a leading apostrophe keeps it text.
     */
    static String cell(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char c = text.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + text : text;
    }

    /** Writes the labels and the summary; returns how many recordings were labelled. */
    public int export(List<Alert> resolved, Writer summary) throws IOException {
        int labelled = 0;
        try (CSVPrinter out = new CSVPrinter(summary, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader("alert", "machine", "category",
                "hypothesis", "verdict", "confirmed_fault", "first_seen", "last_seen", "resolved_by", "note", "recording")
                .get())) {
            for (Alert a : resolved) {
                Alert.Handling h = a.handling();
                if (a.open() || h.verdict() == null) {
                    continue;
                }
                Path capture = captureOf(a);
                if (capture != null && label(a, capture)) {
                    labelled++;
                }
                out.printRecord(a.id(), a.machineId(), a.category().id(), a.fault(), h.verdict().id(), h.confirmedFault(),
                        a.firstSeen(), a.lastSeen(), cell(h.resolvedBy()), cell(h.note()),
                        capture == null ? "" : capture.toString());
            }
        }
        return labelled;
    }

    private static boolean label(Alert a, Path capture) throws IOException {
        Path labels = capture.resolve("labels.csv");
        switch (a.handling().verdict()) {
            case FALSE_ALARM -> LabelsCsv.write(labels, List.of());
            case CONFIRMED -> {
                RecordingMeta meta = RecordingReader.open(capture).meta();
                double end = meta.channels().stream().mapToDouble(c -> c.samples() / c.sampleRateHz()).max().orElse(0);
                double start = Math.max(0, (a.firstSeen().toEpochMilli() - meta.start().toEpochMilli()) / 1000.0);
                String fault = a.handling().confirmedFault() != null ? a.handling().confirmedFault() : a.fault();
                LabelsCsv.write(labels, List.of(new Label(start, Math.max(start, end), fault, 1.0,
                        a.category() == Category.SENSOR ? Label.SENSOR : Label.MACHINE, "")));
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
