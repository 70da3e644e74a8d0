package dev.vigil.runtime.config;

import dev.vigil.model.bundle.Bundle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code vigil serve --check-config} reports: every structural problem of the file and every problem the
 * service would only meet at start (a bundle missing or unreadable, a folder it cannot write), in one run, each
 * with its key. The semantic checks read the raw keys, so they run even where the structure has problems elsewhere:
 * a bad port does not hide a missing bundle.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static List<String> problems(JsonObject json, Path baseDir) {
        List<String> problems = new ArrayList<>(RuntimeConfig.problems(json, baseDir));
        if (json.getValue("machines") instanceof JsonArray list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.getValue(i) instanceof JsonObject m && m.getValue("model") instanceof String model) {
                    bundle(baseDir, model, "machines[" + i + "].model", problems);
                }
            }
        }
        Object storage = json.getValue("storage");
        String store = storage instanceof JsonObject o && o.getValue("path") instanceof String p ? p : "data/vigil.db";
        writable(baseDir, store, true, "storage.path", problems);
        Object rec = json.getValue("recording");
        if (!(rec instanceof JsonObject r) || !Boolean.FALSE.equals(r.getValue("enabled"))) {
            String path = rec instanceof JsonObject r && r.getValue("path") instanceof String p ? p : "data/recordings";
            writable(baseDir, path, false, "recording.path", problems);
        }
        return problems;
    }

    private static void bundle(Path baseDir, String name, String key, List<String> problems) {
        Path file;
        try {
            file = baseDir.resolve(name).normalize();
        } catch (InvalidPathException e) {
            return; // named by the structural check
        }
        if (!Files.isRegularFile(file)) {
            problems.add(key + ": " + file + ": no such bundle");
            return;
        }
        try {
            Bundle.read(file);
        } catch (IOException | RuntimeException e) {
            // a bundle that does not read is named, whatever broke in it: the check must list it, not stop on it
            problems.add(key + ": " + file + ": not a readable model bundle (" + e.getMessage() + ")");
        }
    }

    /** The folder of a file (or a folder) the service creates: it or its nearest existing parent must be writable. */
    private static void writable(Path baseDir, String name, boolean isFile, String key, List<String> problems) {
        Path target;
        try {
            target = baseDir.resolve(name).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return;
        }
        Path dir = isFile ? target.getParent() : target;
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            problems.add(key + ": " + dir + " cannot be created (" + existing + " is not a folder)");
        } else if (!Files.isWritable(existing)) {
            problems.add(key + ": " + existing + " is not writable by this user");
        }
    }
}
