package dev.vigil.runtime;

import dev.vigil.domain.Frame;
import dev.vigil.sim.Simulation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a simulation's 0.1 s frames joined into 1 s frames per channel, in time order (fewer requests). */
public final class SecondFrames {
    private SecondFrames() {
    }

    /**
     * A simulation's 1 s frames restamped for {@code machine} to start at {@code startNanos}, as a gateway streaming
     * live data sends them (the simulator's clock starts at {@link Simulation#DEFAULT_START}).
     */
    public static List<Frame> live(String machine, Simulation sim, long startNanos) {
        long simStart = Simulation.DEFAULT_START.getEpochSecond() * 1_000_000_000L;
        return of(sim).stream().map(f -> new Frame(machine, f.channel(), startNanos + f.startNanos() - simStart,
                f.sampleRateHz(), f.samples())).toList();
    }

    public static List<Frame> of(Simulation sim) {
        List<Frame> out = new ArrayList<>();
        Map<String, List<Frame>> pending = new LinkedHashMap<>();
        Iterator<Frame> it = sim.frames();
        while (it.hasNext()) {
            Frame f = it.next();
            List<Frame> parts = pending.computeIfAbsent(f.channel(), k -> new ArrayList<>());
            parts.add(f);
            if (parts.size() == 10) {
                float[] all = new float[parts.stream().mapToInt(p -> p.samples().length).sum()];
                int at = 0;
                for (Frame p : parts) {
                    System.arraycopy(p.samples(), 0, all, at, p.samples().length);
                    at += p.samples().length;
                }
                out.add(new Frame(f.machineId(), f.channel(), parts.get(0).startNanos(), f.sampleRateHz(), all));
                parts.clear();
            }
        }
        return out;
    }
}
