package dev.vigil.runtime.score;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.runtime.store.MachineStore;
import dev.vigil.runtime.store.NotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

/**
 * Deploys, rolls back, shadows and promotes models per machine while their streams keep flowing. An uploaded
 * bundle is verified (checksums, waveform model) before anything changes, kept in the models directory under
 * its content hash, and every change of the active model is recorded, so a restart scores with the model that
 * was active, not the one the configuration first named. Shadows are not persisted. Blocking: call from workers.
 */
public final class ModelLifecycle {
    private final Map<String, MachineStream> machines;
    private final MachineStore store;
    private final Path modelsDir;
    private final Clock clock;

    /** @param machines the live machines (filled in after {@link #startingBundle} chose their models) */
    public ModelLifecycle(Map<String, MachineStream> machines, MachineStore store, Path modelsDir, Clock clock) {
        this.machines = machines;
        this.store = store;
        this.modelsDir = modelsDir;
        this.clock = clock;
    }

    private MachineStream machine(String id) {
        MachineStream m = machines.get(id);
        if (m == null) {
            throw new NotFoundException("unknown machine '" + id + "'");
        }
        return m;
    }

    /**
     * Verifies an uploaded bundle and makes it the machine's active model (or its shadow).
     *
     * @param upload the uploaded file (moved into the models directory when valid, deleted otherwise)
     * @return the new version
     */
    public String deploy(String machineId, Path upload, boolean asShadow, String by) throws IOException, SQLException {
        MachineStream m = machine(machineId);
        try {
            Bundle bundle;
            try {
                bundle = Bundle.read(upload);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a valid model bundle: " + e.getMessage());
            }
            String version = ModelVersion.of(upload);
            Files.createDirectories(modelsDir);
            Path kept = modelsDir.resolve(machineId + "-" + version + ".zip");
            Files.move(upload, kept, StandardCopyOption.REPLACE_EXISTING);
            if (asShadow) {
                m.shadow(bundle.model(), version);
            } else {
                m.deploy(bundle.model(), version);
                store.recordDeployment(new MachineStore.Deployment(machineId, version, kept, "deploy", by, clock.instant()));
            }
            return version;
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /** Back to the previous model; returns its version. */
    public String rollback(String machineId, String by) throws IOException, SQLException {
        MachineStream m = machine(machineId);
        if (!m.rollback()) {
            throw new IllegalArgumentException("machine '" + machineId + "' has no previous model to roll back to");
        }
        return recorded(machineId, m.modelVersion(), "rollback", by);
    }

    /** The shadow becomes active; returns its version. */
    public String promote(String machineId, String by) throws IOException, SQLException {
        MachineStream m = machine(machineId);
        if (!m.promoteShadow()) {
            throw new IllegalArgumentException("machine '" + machineId + "' has no shadow model to promote");
        }
        return recorded(machineId, m.modelVersion(), "promote", by);
    }

    public void stopShadow(String machineId) {
        if (!machine(machineId).stopShadow()) {
            throw new NotFoundException("machine '" + machineId + "' has no shadow model");
        }
    }

    private String recorded(String machineId, String version, String action, String by) throws SQLException {
        store.recordDeployment(new MachineStore.Deployment(machineId, version,
                modelsDir.resolve(machineId + "-" + version + ".zip"), action, by, clock.instant()));
        return version;
    }

    /**
     * At start: the bundle a machine scores with. The configured bundle is kept in the models directory under
     * its version. If the configuration names a different bundle than at the last start, the operator changed it
     * and it wins (recorded as {@code configured}); otherwise the newest recorded deployment wins, so deployments
     * and rollbacks made through the API survive a restart.
     */
    public Path startingBundle(String machineId, Path configured) throws IOException, SQLException {
        String version = ModelVersion.of(configured);
        Path kept = modelsDir.resolve(machineId + "-" + version + ".zip");
        if (!Files.isRegularFile(kept)) {
            Files.createDirectories(modelsDir);
            Files.copy(configured, kept, StandardCopyOption.REPLACE_EXISTING);
        }
        var history = store.deployments(machineId);
        var lastConfigured = history.stream().filter(d -> d.action().equals("configured")).findFirst();
        if (lastConfigured.isEmpty() || !lastConfigured.get().version().equals(version)) {
            store.recordDeployment(new MachineStore.Deployment(machineId, version, kept, "configured", "vigil.yaml",
                    clock.instant()));
            return kept;
        }
        Path newest = history.get(0).bundle();
        return Files.isRegularFile(newest) ? newest : kept;
    }
}
