package dev.vigil.model.score;

import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.data.Inputs;
import dev.vigil.model.data.LabelledObservation;
import dev.vigil.model.data.RecordingInput;
import dev.vigil.model.data.TabularInput;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.feature.WaveformFeatures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Scores one input end to end with a model: read through the model's own feature spec, score in batches,
 * then assess in time order (smoothing and hysteresis need the order).
 */
public final class Scoring {
    static final int BATCH = 512;

    private Scoring() {
    }

    /**
     * @param labelColumn tabular label column to carry along (for evaluation), or null
     * @param sink receives every observation with its assessment, in input order
     * @return number of observations scored
     */
    public static long run(Model model, Path input, String labelColumn, BiConsumer<LabelledObservation, Assessment> sink)
            throws IOException {
        return run(model, input, labelColumn, null, sink);
    }

    /**
     * @param drift follow slow healthy drift with these guards ({@link DriftFollower}), or null not to
     */
    public static long run(Model model, Path input, String labelColumn, DriftFollower.Settings drift,
                           BiConsumer<LabelledObservation, Assessment> sink) throws IOException {
        boolean waveform = Inputs.allRecordings(List.of(input));
        if (waveform != model.spec().isWaveform()) {
            throw new IllegalArgumentException(input + ": the model was trained on " + model.spec().inputKind()
                    + " data, this input is " + (waveform ? "a waveform recording" : "a tabular file"));
        }
        Model.Stream stream = drift == null ? model.stream() : model.stream(drift);
        List<LabelledObservation> batch = new ArrayList<>(BATCH);
        long[] n = new long[1];
        java.util.function.Consumer<LabelledObservation> collect = lo -> {
            batch.add(lo);
            if (batch.size() == BATCH) {
                flush(model, stream, batch, sink);
            }
            n[0]++;
        };
        DataQualityReport.Builder dq = new DataQualityReport.Builder();
        if (waveform) {
            RecordingInput.read(input, new WaveformFeatures(model.spec()), dq, collect);
        } else {
            InputOptions opts = new InputOptions(model.spec().timestampColumn(), List.of(), model.numericContext(),
                    labelColumn, null);
            TabularInput.read(input, model.spec(), opts, labelColumn, dq, null, collect);
        }
        flush(model, stream, batch, sink);
        if (n[0] == 0) {
            throw new IllegalArgumentException(input + ": nothing to score (" + dq.build().errors().stream()
                    .map(f -> f.problem()).findFirst().orElse("empty input") + ")");
        }
        return n[0];
    }

    private static void flush(Model model, Model.Stream stream, List<LabelledObservation> batch,
                              BiConsumer<LabelledObservation, Assessment> sink) {
        if (batch.isEmpty()) {
            return;
        }
        Detector.Scored[] scored = stream.score(batch.stream().map(LabelledObservation::observation).toList());
        for (int i = 0; i < batch.size(); i++) {
            sink.accept(batch.get(i), stream.assess(batch.get(i).observation(), scored[i]));
        }
        batch.clear();
    }
}
