package dev.vigil.model.realdata;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.score.Model;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * NASA IMS test 2 through the waveform path, on the raw snapshots that are published as excerpts: 1 s of four
 * accelerometers (one per bearing, 20,480 Hz) at the start of the test, around the middle and at the end. Train on
 * the first snapshots, score the others one by one as a gateway would send them.
 */
final class ImsRaw {
    static final double RATE = 20_480;
    static final double RPM = 2000;
    static final double WINDOW_S = 0.25;
    static final double HOP_S = 0.05;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyy.MM.dd.HH.mm.ss");
    private static final LocalDateTime FIRST = LocalDateTime.of(2004, 2, 12, 10, 32, 39);

    private ImsRaw() {
    }

    /** Rexnord ZA-2115 double-row bearing: 16 rollers, 0.331 in, pitch 2.815 in, 15.17 degrees. */
    static BearingGeometry bearing() {
        return new BearingGeometry(16, 0.331 * 25.4, 2.815 * 25.4, 15.17);
    }

    static DatasetReport evaluate(Path cache, Path work, Consumer<String> log) throws IOException {
        Path dir = cache.resolve("ims-raw");
        List<Path> train = new ArrayList<>();
        for (Path f : snapshots(dir.resolve("begin"))) {
            train.add(recording(f, work));
        }
        TrainOptions options = new TrainOptions(train, InputOptions.defaults(), TrainOptions.AUTO, 1, WINDOW_S, HOP_S, 10,
                null, 200_000, Calibration.DEFAULT_FALSE_ALARMS_PER_WEEK);
        Model model = new Trainer(options, (e, m, tl, vl) -> { }, s -> log.accept("ims-raw: " + s)).train().model();
        List<Scored> trainWindows = new ArrayList<>();
        for (Path t : train) {
            trainWindows.addAll(Scored.run(model, t, null));
        }
        WindowBaselines baselines = new WindowBaselines(model, trainWindows);
        List<List<String>> rows = new ArrayList<>();
        List<String> endNames = new ArrayList<>();
        int endAlarmed = 0;
        int endOuter = 0;
        int ends = 0;
        for (String part : List.of("center", "end")) {
            for (Path f : snapshots(dir.resolve(part))) {
                List<Scored> w = Scored.run(model, recording(f, work), null);
                String hypothesis = Scored.majorityHypothesis(w);
                double[] b = baselines.alarmedShares(w);
                rows.add(List.of(String.valueOf(index(f)), part, Cwru.pct(Scored.alarmedShare(w)), hypothesis,
                        Cwru.pct(b[0]), Cwru.pct(b[1])));
                if (part.equals("end")) {
                    ends++;
                    endNames.add(String.valueOf(index(f)));
                    endAlarmed += Scored.alarmedShare(w) >= 0.5 ? 1 : 0;
                    endOuter += hypothesis.equals("bearing-outer") ? 1 : 0;
                }
            }
        }
        List<DatasetReport.Bar> bars = List.of(
                new DatasetReport.Bar("raw snapshots near failure in alarm (reported, no bar)", true,
                        endAlarmed + " of " + ends + " end snapshots alarmed on most windows"),
                new DatasetReport.Bar("outer race named near failure (reported, no bar)", true,
                        endOuter + " of " + ends + " end snapshots named bearing-outer"));
        String protocol = String.format(Locale.ROOT, "The raw snapshots published as excerpts of test 2: %d at the start "
                + "(snapshots %s), some around the middle and at the end. Each snapshot is a recording of four "
                + "accelerometers at 20,480 Hz with a 2,000 rpm speed tag and the Rexnord ZA-2115 geometry. `vigil train` "
                + "on the start snapshots (%.2f s windows every %.2f s), `vigil score` on each other snapshot. Bearing 1 "
                + "fails by an outer-race defect.", train.size(),
                String.join(", ", snapshots(dir.resolve("begin")).stream().map(f -> String.valueOf(index(f))).toList()),
                WINDOW_S, HOP_S);
        return new DatasetReport("NASA IMS bearings, test 2 (raw snapshots, waveform path)",
                Ims.SOURCE + ": raw snapshots as published in the public GitHub "
                        + "repository jaidevprabhu/Bearings_Prediction (`data/set_2/{begin,center,end}/`).",
                protocol, List.of("snapshot", "part", "Vigil: alarmed", "Vigil: hypothesis", "RMS/kurtosis 3 sigma: alarmed",
                        "PCA T2+Q: alarmed"), rows, bars,
                "The same run-to-failure test as above, through the waveform path a gateway streaming raw vibration "
                        + "would use, with only a handful of snapshots to learn from: the middle snapshots lie where "
                        + "published energy trends first cross mean + 3 sigma (about 530), the end ones hours before "
                        + "failure. The last two end snapshots hold almost no signal (RMS about 0.002 g against 0.07 g "
                        + "healthy: the rig had stopped); Vigil reports them as a sensor problem, not as the machine, "
                        + "and the RMS/kurtosis rule alarms on the quantisation noise. The first end snapshot reaches the "
                        + "converter's +/-5 g rails: Vigil scores such overload as the machine's (docs/MODEL.md).");
    }

    static List<Path> snapshots(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Snapshot number: one every 10 minutes from the first file of the test. */
    static long index(Path f) {
        LocalDateTime t = LocalDateTime.parse(f.getFileName().toString(), NAME);
        return Math.round(Duration.between(FIRST, t).toSeconds() / 600.0);
    }

    private static Path recording(Path snapshot, Path work) throws IOException {
        List<String> lines = Files.readAllLines(snapshot, StandardCharsets.US_ASCII);
        int channels = 4;
        float[][] x = new float[channels][lines.size()];
        int n = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.trim().split("\\s+");
            if (cells.length < channels) {
                throw new IOException(snapshot + ":" + (n + 1) + ": expected " + channels + " columns, found " + cells.length);
            }
            for (int c = 0; c < channels; c++) {
                x[c][n] = Float.parseFloat(cells[c]);
            }
            n++;
        }
        List<Recordings.Accelerometer> accelerometers = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            accelerometers.add(new Recordings.Accelerometer("bearing" + (c + 1), "bearing " + (c + 1) + " housing",
                    Arrays.copyOf(x[c], n)));
        }
        LocalDateTime t = LocalDateTime.parse(snapshot.getFileName().toString(), NAME);
        return Recordings.write(work.resolve("ims-" + snapshot.getFileName()), "ims-test2", t.toInstant(ZoneOffset.UTC),
                accelerometers, RATE, RPM, bearing());
    }
}
