package dev.vigil.runtime.kafka;

import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Test helper: configurations of a cluster's instances, what an instance's API says of a machine, and how far the
 * group has read the frames topic.
 */
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

    /** How many partitions of the frames topic a member of the group was given (it is given the commands too). */
    static long frames(MemberAssignment assignment) {
        return assignment.topicPartitions().stream().filter(p -> p.topic().equals("vigil.frames")).count();
    }

    /** The windows the instance has scored for the machine. */
    static long windows(Api api, String machine) {
        try {
            return new JsonObject(api.get("/api/v1/machines/" + machine).body()).getLong("windows");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The end offset of every partition of the frames topic. */
    static Map<TopicPartition, Long> frameTopicEnds(Admin admin) throws Exception {
        List<TopicPartition> partitions = admin.describeTopics(List.of("vigil.frames")).allTopicNames()
                .get(30, TimeUnit.SECONDS).get("vigil.frames").partitions().stream()
                .map(p -> new TopicPartition("vigil.frames", p.partition())).toList();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Until the group's committed offsets reach the end of every partition of the frames topic. */
    static void awaitCommittedToTheEnd(Admin admin, String group) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<TopicPartition, Long> ends = frameTopicEnds(admin);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            ends.forEach((p, end) -> assertThat(end == 0 || committed.containsKey(p) && committed.get(p).offset() == end)
                    .as("%s committed to its end %d: %s", p, end, committed.get(p)).isTrue());
        });
    }
}
