package dev.vigil.runtime;

/** Test helper: machines whose windows lie on the same grid, so that the same frames give the same windows. */
public final class Twins {
    private Twins() {
    }

    /** The first id {@code <prefix>-<n>} whose window phase ({@link VigilServer#phase}) is that of {@code machine}. */
    public static String of(String machine, String prefix) {
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            if (VigilServer.phase(id) == VigilServer.phase(machine)) {
                return id;
            }
        }
    }
}
