package dev.vigil.runtime.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The machines whose state changed (an alert, its handling, the level feedback) since it was last handed on to the
 * state topic. Filled by whatever changes them, on any thread; drained by {@link MachineStates}.
 */
public final class ChangedMachines implements Consumer<String> {
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    @Override
    public void accept(String machineId) {
        changed.add(machineId);
    }

    /** Takes the machines changed so far. */
    Set<String> drain() {
        Set<String> out = new java.util.TreeSet<>();
        for (String m : changed) {
            if (changed.remove(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** Puts back machines whose state could not be handed on, to try again. */
    void again(Set<String> machines) {
        changed.addAll(machines);
    }
}
