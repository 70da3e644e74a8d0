package dev.vigil.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;

/** Test helper: how much of the heap's old generation is in use (where G1 puts large arrays, a buffered body). */
public final class TestHeap {
    private TestHeap() {
    }

    public static long oldGen() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().contains("Old Gen") || p.getName().contains("Tenured")) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }
}
