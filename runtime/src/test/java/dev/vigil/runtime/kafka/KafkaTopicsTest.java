package dev.vigil.runtime.kafka;

import dev.vigil.runtime.TestKafka;
import dev.vigil.runtime.config.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topics against a real KRaft broker: made with what each needs, left alone when present, refused when wrong. */
@Tag("slow")
class KafkaTopicsTest {
    @RegisterExtension
    static final TestKafka.PerClass kafka = new TestKafka.PerClass();
    static Admin admin;

    @BeforeAll
    static void admin() {
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()));
    }

    @AfterAll
    static void closeAdmin() {
        if (admin != null) {
            admin.close();
        }
    }

    private static KafkaSettings settings(String prefix, int partitions, boolean create) {
        return new KafkaSettings(kafka.bootstrap(), "vigil", "vigil-a", new KafkaSettings.Topics(prefix + ".frames",
                prefix + ".state", prefix + ".commands", prefix + ".alerts", prefix + ".availability",
                prefix + ".models"), partitions, 1, 2,
                create, KafkaSettings.Security.plaintext());
    }

    @Test
    void missingTopicsAreMadeWithTheirPartitionsAndCleanUpAndThenLeftAlone() throws Exception {
        KafkaTopics topics = new KafkaTopics(settings("a", 6, true));
        assertThat(topics.ensure(admin, Duration.ofSeconds(30))).containsExactlyInAnyOrder("a.frames", "a.state",
                "a.commands", "a.alerts", "a.availability", "a.models");
        assertThat(admin.describeTopics(List.of("a.frames", "a.availability")).allTopicNames().get(30, TimeUnit.SECONDS)
                .values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(6));
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic("a.frames"), topic("a.state"),
                topic("a.availability"), topic("a.models"))).all().get(30, TimeUnit.SECONDS);
        assertThat(configs.get(topic("a.frames")).get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(configs.get(topic("a.frames")).get("retention.ms").value()).isEqualTo("7200000");
        assertThat(configs.get(topic("a.state")).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(configs.get(topic("a.availability")).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(configs.get(topic("a.models")).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(configs.get(topic("a.availability")).get("min.compaction.lag.ms").value())
                .isEqualTo(String.valueOf(Duration.ofDays(7).toMillis()));

        // a second instance starting finds them all
        assertThat(topics.ensure(admin, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void framesStateAndCommandsMustBePartitionedAlike() throws Exception {
        admin.createTopics(List.of(new NewTopic("b.state", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> new KafkaTopics(settings("b", 6, true)).ensure(admin, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("same number of partitions")
                .hasMessageContaining("b.state=3").hasMessageContaining("b.frames=6");
    }

    @Test
    void missingTopicsAreAnErrorWhenVigilMayNotMakeThem() {
        assertThatThrownBy(() -> new KafkaTopics(settings("c", 2, false)).ensure(admin, Duration.ofSeconds(30)))
                .hasMessageContaining("kafka.createTopics is false").hasMessageContaining("c.frames");
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }
}
