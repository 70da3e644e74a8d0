package dev.vigil.runtime.score;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.store.MachineStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a cluster's instances exchange about a machine's models, on two lifecycles with their own stores and model
 * folders: every change made through one is handed on with the versions of the three slots; the other takes a
 * bundle only when its content is the version it is said to be, and takes the slots as they were left (a rollback
 * made elsewhere reuses the model it holds); a change that could not be handed on says so.
 */
class SharedModelChangesTest {
    @TempDir
    Path tmp;

    private record Change(String machine, ModelSet models, String action, String by, boolean bundlesHere) {
    }

    private static final class Instance implements AutoCloseable {
        final Map<String, MachineStream> machines = new ConcurrentHashMap<>();
        final MachineStore store;
        final ModelLifecycle lifecycle;

        Instance(Path dir, Path configured, ModelSharing sharing) throws Exception {
            Files.createDirectories(dir);
            store = MachineStore.open(dir.resolve("vigil.db"));
            lifecycle = new ModelLifecycle(machines, store, dir.resolve("models"), Clock.systemUTC(), sharing);
            Path start = lifecycle.startingBundle("m1", configured);
            machines.put("m1", new MachineStream("m1", Bundle.read(start).model(), ModelVersion.of(start), 1));
        }

        @Override
        public void close() throws Exception {
            store.close();
        }
    }

    @Test
    void changesAreHandedOnAsSlotsAndTakenOnlyFromBundlesThatAreWhatTheySay() throws Exception {
        Path configured = TestModels.cnc("spindle-7");
        Path candidate = TestModels.cnc("spindle-7", 77);
        String v1 = ModelVersion.of(configured);
        String v2 = ModelVersion.of(candidate);
        List<Change> told = new ArrayList<>();
        ModelSharing record = (machine, models, bundles, action, by, at) -> told.add(new Change(machine, models, action,
                by, Files.isRegularFile(bundles.apply(models.active()))));
        try (Instance a = new Instance(tmp.resolve("a"), configured, record);
             Instance b = new Instance(tmp.resolve("b"), configured, ModelSharing.NONE)) {
            Path upload = Files.copy(candidate, tmp.resolve("upload.zip"));
            a.lifecycle.deploy("m1", upload, false, "ops");
            assertThat(told).containsExactly(new Change("m1", new ModelSet(v2, v1, null), "deploy", "ops", true));

            // b has not got the bundle: nothing changes
            assertThatThrownBy(() -> b.lifecycle.adopt("m1", new ModelSet(v2, v1, null), "deploy", "ops",
                    Instant.now(), configured)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bundle " + v2 + " of m1 is not here");
            assertThat(b.lifecycle.models("m1")).isEqualTo(new ModelSet(v1, null, null));
            // a bundle whose content is another version is refused, and not kept
            byte[] content = Files.readAllBytes(candidate);
            assertThatThrownBy(() -> b.lifecycle.keepShared("m1", v1.equals("0123456789ab") ? "0123456789ac"
                    : "0123456789ab", content)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has the content of version " + v2);
            byte[] torn = java.util.Arrays.copyOf(content, content.length / 2);
            assertThatThrownBy(() -> b.lifecycle.keepShared("m1", ModelVersion.of(Files.write(tmp.resolve("torn"), torn)),
                    torn)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid model bundle");
            try (var files = Files.list(tmp.resolve("b").resolve("models"))) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("m1-" + v1 + ".zip");
            }

            b.lifecycle.keepShared("m1", v2, content);
            assertThat(b.lifecycle.adopt("m1", new ModelSet(v2, v1, null), "deploy", "ops", Instant.now(), configured))
                    .isTrue();
            assertThat(b.lifecycle.models("m1")).isEqualTo(new ModelSet(v2, v1, null));
            assertThat(b.store.deployments("m1").get(0)).extracting(MachineStore.Deployment::version,
                    MachineStore.Deployment::action, MachineStore.Deployment::by).containsExactly(v2, "deploy", "ops");
            // the same again changes nothing; a rollback made elsewhere swaps the slots it holds
            assertThat(b.lifecycle.adopt("m1", new ModelSet(v2, v1, null), "deploy", "ops", Instant.now(), configured))
                    .isFalse();
            assertThat(b.lifecycle.adopt("m1", new ModelSet(v1, v2, v2), "rollback", "ops", Instant.now(), configured))
                    .isTrue();
            assertThat(b.machines.get("m1").view().active().version()).isEqualTo(v1);
            assertThat(b.machines.get("m1").view().shadow().version()).isEqualTo(v2);
            assertThat(b.store.deployments("m1").get(0).action()).isEqualTo("rollback");

            // every change made through the API is handed on: rollback, shadow, promote, stop
            a.lifecycle.rollback("m1", "ops");
            a.lifecycle.deploy("m1", Files.copy(candidate, tmp.resolve("shadow.zip")), true, "ops");
            a.lifecycle.promote("m1", "ops");
            assertThat(told.subList(1, told.size())).extracting(Change::action, Change::models).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("rollback", new ModelSet(v1, v2, null)),
                    org.assertj.core.groups.Tuple.tuple("shadow", new ModelSet(v1, v2, v2)),
                    org.assertj.core.groups.Tuple.tuple("promote", new ModelSet(v2, v1, null)));
        }

        ModelSharing down = (machine, models, bundles, action, by, at) -> {
            throw new java.util.concurrent.TimeoutException("no broker answered");
        };
        try (Instance c = new Instance(tmp.resolve("c"), configured, down)) {
            assertThatThrownBy(() -> c.lifecycle.deploy("m1", Files.copy(candidate, tmp.resolve("again.zip")), false,
                    "ops")).isInstanceOf(NotSharedException.class).hasMessageContaining("deploy on machine 'm1' is made "
                    + "on this instance only").hasMessageContaining("no broker answered");
        }
    }
}
