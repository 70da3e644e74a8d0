package dev.vigil.runtime.kafka;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: configurations of a cluster's instances, and what an instance's API says of a machine. */
final class Instances {
    private Instances() {
    }

    /**
     * One instance's configuration in its own directory under {@code dir}: the machines (on the suite's spindle
     * model), the group and partitions, and any more top-level lines.
     */
    static Path config(Path dir, String bootstrap, String group, int partitions, String instance, List<String> machines,
                       String more) throws Exception {
        Path model = TestModels.cnc("spindle-7").toAbsolutePath();
        StringBuilder list = new StringBuilder();
        for (String m : machines) {
            list.append("  - {id: ").append(m).append(", model: ").append(model).append("}\n");
        }
        Path home = Files.createDirectories(dir.resolve(instance));
        return Files.writeString(home.resolve("vigil.yaml"), TestServer.LOCAL + more + """
                auth: {disabled: true}
                kafka: {bootstrapServers: "%s", group: %s, instance: %s, partitions: %d}
                machines:
                """.formatted(bootstrap, group, instance, partitions) + list);
    }

    /** The windows the instance has scored for the machine. */
    static long windows(Api api, String machine) {
        try {
            return new JsonObject(api.get("/api/v1/machines/" + machine).body()).getLong("windows");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
