package dev.vigil.model.bundle;

import dev.vigil.model.SimulatedData;
import dev.vigil.model.train.TrainOptions;
import dev.vigil.model.train.Trainer;
import dev.vigil.sim.CncSpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the bundle reader with a real bundle's bytes changed, cut short or extended: every file is a verified
 * model or a {@link BundleException} that names it; no other exception, and nothing that reads wrongly.
 */
class BundleFuzzTest {
    private static byte[] valid;

    private static synchronized byte[] valid() throws IOException {
        if (valid == null) {
            Path dir = Files.createTempDirectory("bundle-fuzz-");
            Path recording = SimulatedData.healthy(dir.resolve("healthy"), CncSpec.defaults("cnc-f"), 120, 3);
            Path zip = dir.resolve("m.zip");
            new Trainer(TrainOptions.of(List.of(recording)).withDetector("pca"), (e, m, t, v) -> { }, s -> { }).trainTo(zip);
            valid = Files.readAllBytes(zip);
        }
        return valid;
    }

    @Provide
    Arbitrary<byte[]> mutated() throws IOException {
        byte[] v = valid();
        Arbitrary<Integer> at = Arbitraries.integers().between(0, v.length - 1);
        return Arbitraries.oneOf(
                at.list().ofMinSize(1).ofMaxSize(4).flatMap(pos -> Arbitraries.bytes().list().ofSize(pos.size()).map(bs -> {
                    byte[] b = v.clone();
                    for (int i = 0; i < pos.size(); i++) {
                        b[pos.get(i)] = bs.get(i);
                    }
                    return b;
                })),
                at.map(n -> Arrays.copyOf(v, n)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300));
    }

    @Property(tries = 600)
    void aDamagedBundleIsRefusedByName(@ForAll("mutated") byte[] bytes) throws IOException {
        Path file = Files.createTempFile("fuzz-", ".zip");
        try {
            Files.write(file, bytes);
            try {
                Bundle b = Bundle.read(file);
                assertThat(b.model().features()).isNotEmpty();
            } catch (BundleException refused) {
                assertThat(refused.getMessage()).contains(file.getFileName().toString());
            }
        } finally {
            Files.delete(file);
        }
    }
}
