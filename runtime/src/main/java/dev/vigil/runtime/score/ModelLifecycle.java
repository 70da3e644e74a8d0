package dev.vigil.runtime.score;

import dev.vigil.model.bundle.Bundle;
import dev.vigil.model.score.Model;
import dev.vigil.runtime.store.MachineStore;
import dev.vigil.runtime.store.NotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private final ModelSharing sharing;

    /** @param machines the live machines (filled in after {@link #startingBundle} chose their models) */
    public ModelLifecycle(Map<String, MachineStream> machines, MachineStore store, Path modelsDir, Clock clock) {
        this(machines, store, modelsDir, clock, ModelSharing.NONE);
    }

    /** @param sharing where the changes made through the API go besides this instance (a cluster's other instances) */
    public ModelLifecycle(Map<String, MachineStream> machines, MachineStore store, Path modelsDir, Clock clock,
                          ModelSharing sharing) {
        this.machines = machines;
        this.store = store;
        this.modelsDir = modelsDir;
        this.clock = clock;
        this.sharing = sharing;
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
            Path kept = modelsDir.resolve(machineId + "-" + version + ".zip");
            keep(upload, kept);
            if (asShadow) {
                m.shadow(bundle.model(), version);
            } else {
                m.deploy(bundle.model(), version);
                store.recordDeployment(new MachineStore.Deployment(machineId, version, kept, "deploy", by, clock.instant()));
            }
            cleanUp(machineId, null);
            share(machineId, asShadow ? "shadow" : "deploy", by);
            return version;
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    /**
     * Puts a bundle into the models directory durably: copied to a temporary file there (the upload may be on
     * another file system, where a move is a copy that a crash can leave half done), forced to disk, then renamed
     * over the target in one step, and the directory forced too. A crash leaves the old file or the new, never a
     * torn one.
     */
    private void keep(Path from, Path target) throws IOException {
        Files.createDirectories(modelsDir);
        Path tmp = Files.createTempFile(modelsDir, ".upload-", ".partial");
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (java.nio.channels.FileChannel c = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                c.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(modelsDir,
                java.nio.file.StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notOnThisFileSystem) {
            // some file systems cannot force a directory; the rename itself is atomic there
        }
    }

    /** Deployed versions of a machine whose bundles are kept (the active one and the shadow are kept besides). */
    static final int KEEP_VERSIONS = 5;

    /**
     * Deletes a machine's bundles in the models folder beyond its newest {@value #KEEP_VERSIONS} deployed versions,
     * its active and shadow model and the configured bundle's copy. Without it every upload stayed forever.
     * Returns the files deleted.
     */
    public List<Path> cleanUp(String machineId, Path configured) throws IOException, SQLException {
        if (!Files.isDirectory(modelsDir)) {
            return List.of();
        }
        MachineStream m = machine(machineId);
        Set<String> keep = new HashSet<>();
        keep.add(m.modelVersion());
        ModelState shadow = m.view().shadow();
        if (shadow != null) {
            keep.add(shadow.version());
        }
        if (configured != null && Files.isRegularFile(configured)) {
            keep.add(ModelVersion.of(configured));
        }
        LinkedHashSet<String> deployed = new LinkedHashSet<>();
        store.deployments(machineId).forEach(d -> deployed.add(d.version()));
        deployed.stream().limit(KEEP_VERSIONS).forEach(keep::add);
        Pattern mine = Pattern.compile(
                Pattern.quote(machineId + "-") + "([0-9a-f]{12})\\.zip");
        List<Path> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.list(modelsDir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                Matcher v = mine.matcher(name);
                if (v.matches() && !keep.contains(v.group(1)) && Files.deleteIfExists(f)) {
                    deleted.add(f);
                }
            }
        }
        return deleted;
    }

    /** At start, before any upload: deletes uploads a crash left half-copied ({@code .upload-*.partial}). */
    public List<Path> removeHalfCopied() throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (Files.isDirectory(modelsDir)) {
            try (Stream<Path> files = Files.list(modelsDir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".upload-") && name.endsWith(".partial") && Files.deleteIfExists(f)) {
                        deleted.add(f);
                    }
                }
            }
        }
        return deleted;
    }

    /** Back to the previous model; returns its version. */
    public String rollback(String machineId, String by) throws IOException, SQLException {
        MachineStream m = machine(machineId);
        if (!m.rollback()) {
            throw new IllegalArgumentException("machine '" + machineId + "' has no previous model to roll back to");
        }
        String version = recorded(machineId, m.modelVersion(), "rollback", by);
        share(machineId, "rollback", by);
        return version;
    }

    /** The shadow becomes active; returns its version. */
    public String promote(String machineId, String by) throws IOException, SQLException {
        MachineStream m = machine(machineId);
        if (!m.promoteShadow()) {
            throw new IllegalArgumentException("machine '" + machineId + "' has no shadow model to promote");
        }
        String version = recorded(machineId, m.modelVersion(), "promote", by);
        share(machineId, "promote", by);
        return version;
    }

    public void stopShadow(String machineId, String by) {
        if (!machine(machineId).stopShadow()) {
            throw new NotFoundException("machine '" + machineId + "' has no shadow model");
        }
        share(machineId, "stop-shadow", by);
    }

    /** Where this instance keeps a machine's bundle of a version (whether or not it has it). */
    public Path bundle(String machineId, String version) {
        return modelsDir.resolve(machineId + "-" + version + ".zip");
    }

    /** The versions of a machine's models now. */
    public ModelSet models(String machineId) {
        return machine(machineId).models();
    }

    private void share(String machineId, String action, String by) {
        try {
            sharing.changed(machineId, models(machineId), v -> bundle(machineId, v), action, by, clock.instant());
        } catch (Exception e) {
            throw new NotSharedException("the " + action + " on machine '" + machineId + "' is made on this instance "
                    + "only: the cluster did not take it (" + e.getMessage() + "); repeat the request", e);
        }
    }

    /**
     * Keeps a bundle another instance of a cluster handed on, under its version, once it reads and its content has
     * that version (a torn or altered copy is refused, and nothing is kept).
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public Path keepShared(String machineId, String version, byte[] content) throws IOException {
        Path kept = bundle(machineId, version);
        if (Files.isRegularFile(kept) && ModelVersion.of(kept).equals(version)) {
            return kept;
        }
        Files.createDirectories(modelsDir);
        Path tmp = Files.createTempFile(modelsDir, ".shared-", ".partial");
        try {
            Files.write(tmp, content);
            String actual = ModelVersion.of(tmp);
            if (!actual.equals(version)) {
                throw new IllegalArgumentException("bundle for " + machineId + " named version " + version
                        + " has the content of version " + actual);
            }
            try {
                Bundle.read(tmp);
            } catch (IOException e) {
                throw new IllegalArgumentException("bundle " + version + " for " + machineId + " is not a valid model "
                        + "bundle: " + e.getMessage());
            }
            keep(tmp, kept);
            return kept;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives a machine the models another instance of a cluster gave it, from the bundles kept here; a change of the
     * active model is recorded as made there (so a restart starts with it). Returns whether anything changed.
     *
     * @param configured the machine's configured bundle (kept by the clean-up)
     * @throws IllegalArgumentException when a bundle it names is not here or does not fit the machine's stream
     */
    public boolean adopt(String machineId, ModelSet target, String action, String by, Instant at, Path configured)
            throws IOException, SQLException {
        MachineStream m = machine(machineId);
        ModelSet current = m.models();
        if (current.equals(target)) {
            return false;
        }
        Set<String> held = new HashSet<>();
        held.add(current.active());
        held.add(current.previous());
        held.add(current.shadow());
        Map<String, Model> loaded = new java.util.HashMap<>();
        for (String v : new String[]{target.active(), target.previous(), target.shadow()}) {
            if (v != null && !held.contains(v) && !loaded.containsKey(v)) {
                Path p = bundle(machineId, v);
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("bundle " + v + " of " + machineId + " is not here (" + p + ")");
                }
                loaded.put(v, Bundle.read(p).model());
            }
        }
        m.adopt(target, loaded);
        if (!current.active().equals(target.active())) {
            store.recordDeployment(new MachineStore.Deployment(machineId, target.active(),
                    bundle(machineId, target.active()), action, by, at));
        }
        cleanUp(machineId, configured);
        return true;
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
            keep(configured, kept);
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

    /** A bundle chosen at start, and why, when it is not the one last active. */
    public record Starting(Path path, Bundle bundle, String fallback) {
    }

    /**
     * At start: {@link #startingBundle}, read and verified. When that bundle is corrupt (a disk error, a half-written
     * file from before this version), the machine falls back to the newest earlier deployment that reads, then to
     * the configured bundle, and the fallback is recorded (action {@code fallback}) and returned so that it can be
     * logged and alerted: one bad file must not keep the whole service from starting (systemd would restart it
     * forever). Only when no bundle of the machine reads does this fail.
     */
    public Starting startingModel(String machineId, Path configured) throws IOException, SQLException {
        Path chosen = startingBundle(machineId, configured);
        IOException first;
        try {
            return new Starting(chosen, Bundle.read(chosen), null);
        } catch (IOException e) {
            first = e;
        }
        LinkedHashSet<Path> candidates = new LinkedHashSet<>();
        store.deployments(machineId).forEach(d -> candidates.add(d.bundle()));
        candidates.add(modelsDir.resolve(machineId + "-" + ModelVersion.of(configured) + ".zip"));
        candidates.add(configured);
        candidates.remove(chosen);
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try {
                Bundle b = Bundle.read(p);
                String why = "the active bundle " + chosen.getFileName() + " cannot be read (" + first.getMessage()
                        + "); fell back to " + p.getFileName();
                store.recordDeployment(new MachineStore.Deployment(machineId, ModelVersion.of(p), p, "fallback", "vigil",
                        clock.instant()));
                return new Starting(p, b, why);
            } catch (IOException next) {
                // try the one before
            }
        }
        throw first;
    }
}
