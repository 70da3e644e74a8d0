package dev.vigil.runtime.api;

import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/openapi.yaml documents exactly the routes the running server serves. */
class ApiDocsTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void openApiListsEveryRouteAndNothingElse() throws Exception {
        Map<String, Object> doc = new Yaml().load(Files.readString(Path.of("..", "docs", "openapi.yaml")));
        Set<String> documented = new TreeSet<>();
        ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, ops) -> ops.keySet()
                .forEach(method -> documented.add(method.toUpperCase() + " " + path)));

        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                machines: [{id: spindle-7, model: m.zip}]
                auth: {disabled: true}
                """);
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Set<String> served = new TreeSet<>(server.routes());
            assertThat(documented).as("docs/openapi.yaml").isEqualTo(served);
        }
    }
}
