package dev.vigil.runtime.score;

import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.feature.Spectra;
import dev.vigil.model.score.Assessment;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.stream.WindowAssembler;

import java.util.ArrayList;
import java.util.List;

/**
 * What the API, the dashboard and availability read of one machine: an immutable snapshot its stream publishes
 * after every change (scored windows, a deployment, a level factor), read without a lock, so a reader never waits
 * for scoring, which holds the machine's lock through features, inference and commits.
 *
 * @param model the active model, with the feedback factor applied
 * @param levelFactor the engineers' feedback factor on the levels
 * @param active the active model's standing here
 * @param previous the rollback target's, or null
 * @param shadow the shadow's, or null
 * @param latest the newest assessment, or null before the first window
 * @param recent the newest scored windows (at most {@value MachineStream#RECENT}), oldest first
 * @param windows windows scored since start
 * @param lastWindow the newest complete window (its arrays are never written again), or null
 */
public record LiveView(Model model, double levelFactor, ModelState active, ModelState previous, ModelState shadow,
                       Assessment latest, List<Assessment> recent, long windows, WindowAssembler.Window lastWindow) {

    public String modelVersion() {
        return active.version();
    }

    /** Whether the active model reads tabular readings rather than waveform frames. */
    public boolean tabular() {
        return !model.spec().isWaveform();
    }

    /** The newest scored windows with an index above {@code afterIndex}, oldest first. */
    public List<Assessment> recent(long afterIndex) {
        List<Assessment> out = new ArrayList<>();
        for (Assessment a : recent) {
            if (a.index() > afterIndex) {
                out.add(a);
            }
        }
        return out;
    }

    /** The spectra of the newest complete window, computed as the features are; null before the first window. */
    public Spectra.Result spectra(int points, double envelopeMaxHz) {
        FeatureSpec spec = model.spec();
        return lastWindow == null || !spec.isWaveform() || lastWindow.channels().length != spec.channels().size()
                ? null : new Spectra(spec).compute(lastWindow.channels(), points, envelopeMaxHz);
    }
}
