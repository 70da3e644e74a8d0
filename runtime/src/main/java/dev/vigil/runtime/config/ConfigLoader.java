package dev.vigil.runtime.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code vigil.yaml} with vertx-config, then applies environment overrides: {@code VIGIL_HTTP__PORT=9090}
 * sets {@code http.port} (double underscore between levels; the value is parsed as a number or boolean when it
 * looks like one). Variables without a double underscore ({@code VIGIL_HOME}, {@code VIGIL_LOG_FORMAT}) belong to
 * the launcher and are not keys; an override naming an unknown key is refused like one in the file. Then validates into a {@link RuntimeConfig}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static Future<RuntimeConfig> load(Vertx vertx, Path file, Map<String, String> env) {
        return raw(vertx, file).map(json -> RuntimeConfig.from(overrides(json, env), file.toAbsolutePath().getParent()));
    }

    /**
     * Every problem of the file, structural and semantic ({@link ConfigCheck}), in one run; empty when it is valid.
     * A file that is missing or not YAML is the one problem.
     */
    public static Future<List<String>> check(Vertx vertx, Path file, Map<String, String> env) {
        return raw(vertx, file).map(json -> ConfigCheck.problems(overrides(json, env), file.toAbsolutePath().getParent()));
    }

    private static Future<JsonObject> raw(Vertx vertx, Path file) {
        if (!Files.isRegularFile(file)) {
            return Future.failedFuture(new IllegalArgumentException(file + ": configuration file not found"));
        }
        ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
                .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString()));
        ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(yaml)
                .setScanPeriod(-1));
        return retriever.getConfig()
                .recover(e -> Future.failedFuture(new IllegalArgumentException(file + ": not valid YAML: "
                        + e.getMessage())))
                .onComplete(r -> retriever.close());
    }

    static JsonObject overrides(JsonObject json, Map<String, String> env) {
        JsonObject out = json.copy();
        for (Map.Entry<String, String> e : env.entrySet()) {
            // a key is always in a section, so an override names at least two levels (VIGIL_HTTP__PORT); the
            // launcher's own variables (VIGIL_HOME, VIGIL_LOG_FORMAT, VIGIL_REBUILD, ...) have one and are not keys
            if (!e.getKey().startsWith("VIGIL_") || !e.getKey().contains("__")) {
                continue;
            }
            String[] path = e.getKey().substring(6).split("__");
            JsonObject node = out;
            for (int i = 0; i < path.length - 1; i++) {
                String k = camel(path[i]);
                if (!(node.getValue(k) instanceof JsonObject)) {
                    node.put(k, new JsonObject());
                }
                node = node.getJsonObject(k);
            }
            node.put(camel(path[path.length - 1]), value(e.getValue()));
        }
        return out;
    }

    /** MAX_IN_FLIGHT_PER_MACHINE -> maxInFlightPerMachine. */
    static String camel(String envPart) {
        String[] words = envPart.toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                sb.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
        }
        return sb.toString();
    }

    private static Object value(String v) {
        if (v.matches("-?\\d+")) {
            return Long.parseLong(v);
        }
        if (v.matches("-?\\d*\\.\\d+([eE][-+]?\\d+)?")) {
            return Double.parseDouble(v);
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        return v;
    }
}
