package dev.vigil.model.quality;

import dev.vigil.model.SimulatedData;
import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.FeatureStream;
import dev.vigil.model.feature.Observation;
import dev.vigil.model.feature.WaveformFeatures;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.SimBlock;
import dev.vigil.sim.Simulation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Long healthy run for the false-alarm figure in docs/PERFORMANCE.md: trains the default model as
 * {@link DetectionQualityTest} does, then streams HOURS of healthy running of the same machine straight from
 * the simulator through the feature pipeline (nothing written to disk) and counts alarms.
 *
 * <p>Run with {@code scripts/soak-false-alarms HOURS}.
 */
public final class FalseAlarmSoak {
    private FalseAlarmSoak() {
    }

    public static void main(String[] args) throws Exception {
        double hours = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        Path tmp = Files.createTempDirectory("soak");
        CncSpec spec = CncSpec.defaults("cnc-q");
        List<Path> healthy = List.of(SimulatedData.healthy(tmp.resolve("h1"), spec, 900, 101),
                SimulatedData.healthy(tmp.resolve("h2"), spec, 900, 102));
        Path zip = tmp.resolve("m.zip");
        new Trainer(TrainOptions.of(healthy).withSeed(11), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
        Model model = Bundle.read(zip).model();
        FeatureSpec fs = model.spec();
        WaveformFeatures features = new WaveformFeatures(fs);
        Simulation sim = Simulation.builder(spec).lifeDurationS(hours * 3600).seed(999).build();
        List<String> names = sim.channels().stream().map(c -> c.name()).toList();
        int[] source = fs.channels().stream().mapToInt(c -> names.indexOf(c.name())).toArray();
        int blocksPerWindow = (int) Math.round(fs.windowSeconds() / spec.blockSeconds());
        Iterator<SimBlock> blocks = sim.blocks();
        Model.Stream stream = model.stream();
        FeatureStream pipeline = features.stream();
        List<Observation> batch = new ArrayList<>();
        long[] counts = new long[4]; // windows, scored, alarmed windows, alarms raised
        boolean[] previous = new boolean[1];
        long started = System.nanoTime();
        long index = 0;
        while (blocks.hasNext()) {
            float[][] window = new float[source.length][];
            for (int c = 0; c < source.length; c++) {
                window[c] = new float[features.samples(c)];
            }
            for (int b = 0; b < blocksPerWindow && blocks.hasNext(); b++) {
                SimBlock block = blocks.next();
                for (int c = 0; c < source.length; c++) {
                    float[] part = block.samples()[source[c]];
                    System.arraycopy(part, 0, window[c], b * part.length, part.length);
                }
            }
            batch.add(pipeline.next(index, index * fs.windowSeconds(), 0, window));
            index++;
            if (batch.size() == 512 || !blocks.hasNext()) {
                Detector.Scored[] s = stream.score(batch);
                for (int i = 0; i < batch.size(); i++) {
                    Assessment a = stream.assess(batch.get(i), s[i]);
                    counts[0]++;
                    counts[1] += s[i] != null ? 1 : 0;
                    counts[2] += a.alarm() ? 1 : 0;
                    counts[3] += a.alarm() && !previous[0] ? 1 : 0;
                    previous[0] = a.alarm();
                }
                batch.clear();
            }
        }
        System.out.printf("healthy soak: %.1f h of one CNC spindle, %d windows, %d scored, %d alarmed windows, "
                        + "%d alarms raised (%.0f s wall clock)%n", hours, counts[0], counts[1], counts[2], counts[3],
                (System.nanoTime() - started) / 1e9);
    }
}
