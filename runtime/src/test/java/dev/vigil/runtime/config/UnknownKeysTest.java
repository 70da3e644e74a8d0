package dev.vigil.runtime.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key the service does not know is refused with the nearest valid one, instead of being ignored while its
 * default applies; and every key the documentation and the shipped configurations use is one it knows.
 */
class UnknownKeysTest {
    @TempDir
    Path tmp;

    private static List<String> problems(String json) {
        return RuntimeConfig.problems(new JsonObject(json), Path.of("."));
    }

    @Test
    void aMisspeltKeyIsNamedWithTheNearestValidOne() {
        List<String> p = problems("""
                {"scoring": {"tolerence": 0.5}, "scheduling": {}, "foo": 1,
                 "machines": [{"id": "a", "model": "m.zip"}, {"id": "b", "modle": "m.zip"}],
                 "auth": {"disabled": true}, "http": {"Port": 8080}}""");
        assertThat(p).contains(
                "`scoring.tolerence`: unknown key; did you mean `scoring.toleranceSeconds`?",
                "`scheduling`: unknown key; did you mean `scheduler`?",
                "`machines[1].modle`: unknown key; did you mean `machines[1].model`?",
                "`http.Port`: unknown key; did you mean `http.port`?",
                "`foo`: unknown key");
        assertThat(p).as("nothing valid is named").noneMatch(s -> s.startsWith("`machines[0]") || s.startsWith("`auth"));
    }

    @Test
    void environmentOverridesAreCheckedButTheLaunchersOwnVariablesAreNotKeys() {
        JsonObject file = new JsonObject("""
                {"machines": [{"id": "a", "model": "m.zip"}], "auth": {"disabled": true}}""");
        List<String> p = RuntimeConfig.problems(ConfigLoader.overrides(file, Map.of("VIGIL_HOME", "/opt/vigil",
                "VIGIL_LOG_FORMAT", "json", "VIGIL_REBUILD", "1", "VIGIL_HTTP__PROT", "9090", "VIGIL_HTTP__PORT", "9091")),
                Path.of("."));
        assertThat(p).containsExactly("`http.prot`: unknown key; did you mean `http.port`?");
    }

    @Test
    void everyDocumentedAndShippedKeyIsKnown() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "CONFIG.md"));
        int from = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String example = doc.substring(from, doc.indexOf("```", from));
        Vertx vertx = Vertx.vertx();
        try {
            for (Map.Entry<String, String> c : Map.of("docs/CONFIG.md", example,
                    "deploy/vigil.yaml", Files.readString(Path.of("..", "deploy", "vigil.yaml")),
                    "deploy/vigil-cluster.yaml", Files.readString(Path.of("..", "deploy", "vigil-cluster.yaml")),
                    "deploy/src/dist/conf/vigil.yaml", Files.readString(Path.of("..", "deploy", "src", "dist", "conf",
                            "vigil.yaml"))).entrySet()) {
                Path file = Files.writeString(tmp.resolve("c.yaml"), c.getValue());
                List<String> found = ConfigLoader.check(vertx, file, Map.of()).await(20, TimeUnit.SECONDS);
                assertThat(found).as(c.getKey()).noneMatch(s -> s.contains("unknown key"));
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
