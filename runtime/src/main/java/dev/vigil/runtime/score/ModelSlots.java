package dev.vigil.runtime.score;

import dev.vigil.model.explain.IsoZone;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.model.score.Model;
import dev.vigil.model.signal.Transforms;

/**
 * A machine's model slots: the active model, the previous one (the rollback target) and a shadow candidate, with
 * what applies to every model deployed here (the engineers' level factor, the configured ISO machine group, drift
 * following). A change of the ISO group or of drift following starts the affected model's scoring afresh; a change
 * of the level factor goes on with it ({@link Scorer#rescaled}). Not thread-safe: its machine's lock guards it.
 */
final class ModelSlots {
    /** FFT plans and windows the machine's scorers share with the fleet's. */
    private final Transforms transforms;
    private Scorer active;
    private Scorer previous;
    private Scorer shadow;
    private double levelFactor = 1;
    private IsoZone.MachineClass isoClass;
    private DriftFollower.Settings drift;

    ModelSlots(Model model, String version, Transforms transforms) {
        this.transforms = transforms;
        this.active = new Scorer(model, version, 1, null, transforms);
    }

    Scorer active() {
        return active;
    }

    /** The rollback target, or null. */
    Scorer previous() {
        return previous;
    }

    /** The shadow, or null. */
    Scorer shadow() {
        return shadow;
    }

    double levelFactor() {
        return levelFactor;
    }

    void followDrift(DriftFollower.Settings settings) {
        drift = settings;
        active = new Scorer(active.base, active.version, levelFactor, drift, transforms);
    }

    void overrideIsoClass(IsoZone.MachineClass c) {
        isoClass = c;
        active = new Scorer(withIso(active.base), active.version, levelFactor, drift, transforms);
    }

    private Model withIso(Model m) {
        return isoClass == null ? m : m.withIsoClass(isoClass);
    }

    /** Makes {@code model} active, the active one the rollback target; a shadow reading other windows is dropped. */
    void deploy(Model model, String version) {
        previous = active;
        active = new Scorer(withIso(model), version, levelFactor, drift, transforms);
        if (shadow != null && !sameWindows(shadow.base, model)) {
            shadow = null;
        }
    }

    void shadow(Model model, String version) {
        if (!sameWindows(model, active.base)) {
            throw new IllegalArgumentException("a shadow model must use the active model's windows and channels ("
                    + active.version + "); " + version + " does not");
        }
        shadow = new Scorer(withIso(model), version, levelFactor, drift, transforms);
    }

    /** Removes the shadow; returns it, or null if there was none. */
    Scorer takeShadow() {
        Scorer s = shadow;
        shadow = null;
        return s;
    }

    /**
     * Makes the slots hold {@code target}'s versions, as another instance of a cluster left them: a slot whose version
     * is held here already keeps its scorer (the active one going on as it was); the others start afresh. A shadow
     * that reads other windows than the active model is dropped, as on a deployment.
     *
     * @param loaded the models of the versions not held here
     */
    void adopt(ModelSet target, java.util.Map<String, Model> loaded) {
        java.util.Map<String, Scorer> held = new java.util.HashMap<>();
        for (Scorer s : new Scorer[]{active, previous, shadow}) {
            if (s != null) {
                held.putIfAbsent(s.version, s);
            }
        }
        Scorer a = active.version.equals(target.active()) ? active : fresh(target.active(), held, loaded);
        Scorer p = target.previous() == null ? null : held.containsKey(target.previous())
                ? held.get(target.previous()) : fresh(target.previous(), held, loaded);
        Scorer s = target.shadow() == null ? null : shadow != null && shadow.version.equals(target.shadow())
                ? shadow : fresh(target.shadow(), held, loaded);
        active = a;
        previous = p;
        shadow = s != null && sameWindows(s.base, a.base) ? s : null;
    }

    private Scorer fresh(String version, java.util.Map<String, Scorer> held, java.util.Map<String, Model> loaded) {
        Model m = held.containsKey(version) ? held.get(version).base : loaded.get(version);
        if (m == null) {
            throw new IllegalArgumentException("model " + version + " is not loaded");
        }
        return new Scorer(withIso(m), version, levelFactor, drift, transforms);
    }

    /** Lets go of every scorer's feature stream (the machine is scored elsewhere now). */
    void release() {
        for (Scorer s : new Scorer[]{active, previous, shadow}) {
            if (s != null) {
                s.release();
            }
        }
    }

    /** Multiplies the models' levels by {@code factor} (relative to their calibration), keeping the versions. */
    void scaleLevels(double factor) {
        if (factor == levelFactor) {
            return;
        }
        levelFactor = factor;
        active = active.rescaled(factor, drift);
        if (shadow != null) {
            shadow = shadow.rescaled(factor, drift);
        }
    }

    /** Whether two models read the same windows: length, hop, channels and their rates. */
    static boolean sameWindows(Model a, Model b) {
        if (!a.spec().isWaveform() || !b.spec().isWaveform()) {
            return !a.spec().isWaveform() && !b.spec().isWaveform();
        }
        return a.spec().windowSeconds() == b.spec().windowSeconds() && a.spec().hopSeconds() == b.spec().hopSeconds()
                && a.spec().channels().equals(b.spec().channels());
    }
}
