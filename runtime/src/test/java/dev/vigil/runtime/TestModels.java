package dev.vigil.runtime;

import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test fixture: CNC bundles trained on 15 min sessions of their own machine's healthy running (one by default,
 * several where a test wants more), each trained once per test JVM (training costs ~10 s a session) and shared by
 * the test classes that need a working model.
 */
public final class TestModels {
    private static final Map<List<Object>, Path> TRAINED = new ConcurrentHashMap<>();

    private TestModels() {
    }

    /** The bundle file for a CNC machine with this id (copy it; do not modify it). */
    public static Path cnc(String machineId) {
        return cnc(machineId, 51);
    }

    /** A bundle trained on the healthy recording made with {@code seed}: another seed, another model. */
    public static Path cnc(String machineId, long seed) {
        return cnc(CncSpec.defaults(machineId), seed);
    }

    /** A bundle for this machine, trained on 15 min sessions of its healthy running, one per seed. */
    public static synchronized Path cnc(CncSpec spec, long... seeds) {
        List<Long> sessions = Arrays.stream(seeds).boxed().toList();
        return TRAINED.computeIfAbsent(List.of(spec, sessions), key -> {
            String id = spec.id();
            try {
                // under target/ so that `mvn clean` removes it; a fresh directory per JVM
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-models")), id + "-");
                List<Path> healthy = new ArrayList<>();
                for (long seed : seeds) {
                    Path session = dir.resolve("healthy-" + seed);
                    Simulation.builder(spec).lifeDurationS(900).seed(seed).build().writeRecording(session, b -> { });
                    healthy.add(session);
                }
                Path zip = dir.resolve(id + "-" + sessions.stream().map(String::valueOf)
                        .reduce((a, b) -> a + "-" + b).orElseThrow() + ".zip");
                new Trainer(TrainOptions.of(healthy), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
                // a 15 min session is about 400 MB of samples and only the bundle is used: a suite that trains a
                // few models per JVM would otherwise leave gigabytes under target/ after every run
                for (Path session : healthy) {
                    try (var files = Files.walk(session)) {
                        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
                return zip;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Copies the machine's bundle to {@code target} (creating directories). */
    public static Path copyTo(String machineId, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        return Files.copy(cnc(machineId), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
