package dev.vigil.runtime.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code kafka} section: defaults, what the clients are given, and each mistake named by its key. */
class KafkaSettingsTest {
    private static final String MACHINES = "\"machines\": [{\"id\": \"a\", \"model\": \"m.zip\"}], \"auth\": {\"disabled\": true}";

    @Test
    void noSectionIsASingleBoxAndASectionHasSensibleDefaults() {
        assertThat(RuntimeConfig.from(new JsonObject("{" + MACHINES + "}"), Path.of(".")).kafka()).isNull();
        KafkaSettings k = RuntimeConfig.from(new JsonObject("{" + MACHINES + ", \"kafka\": {\"bootstrapServers\": "
                + "\"k1:9092,k2:9092\", \"instance\": \"vigil-a\"}}"), Path.of(".")).kafka();
        assertThat(k).isEqualTo(new KafkaSettings("k1:9092,k2:9092", "vigil", "vigil-a", KafkaSettings.Topics.defaults(),
                12, 0, 24, true, KafkaSettings.Security.plaintext()));
        assertThat(k.clientProperties()).containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("security.protocol", "PLAINTEXT").doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void saslGetsALoginWithTheSecretQuoted() {
        KafkaSettings k = RuntimeConfig.from(new JsonObject("{" + MACHINES + ", \"kafka\": {\"bootstrapServers\": "
                + "\"k1:9093\", \"security\": {\"protocol\": \"SASL_SSL\", \"username\": \"vigil\", "
                + "\"password\": \"p\\\"w\\\\d\"}}}"), Path.of(".")).kafka();
        assertThat(k.security().saslMechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(k.clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"vigil\" password=\"p\\\"w\\\\d\";");
    }

    @Test
    void eachMistakeIsNamedByItsKey() {
        List<String> p = RuntimeConfig.problems(new JsonObject("{" + MACHINES + ", \"kafka\": {"
                + "\"bootstrapServers\": \"k1\", \"instance\": \"a b\", \"partitions\": 0, \"createTopics\": \"yes\","
                + "\"topics\": {\"frames\": \"vigil frames\", \"state\": \"vigil.alerts\"},"
                + "\"security\": {\"protocol\": \"SASL_SSL\", \"saslMechanism\": \"GSSAPI\"}, \"partition\": 3}}"),
                Path.of("."));
        assertThat(p).anyMatch(s -> s.startsWith("kafka.bootstrapServers:") && s.contains("host:port"))
                .anyMatch(s -> s.startsWith("kafka.instance:"))
                .anyMatch(s -> s.startsWith("kafka.partitions:"))
                .anyMatch(s -> s.startsWith("kafka.createTopics:"))
                .anyMatch(s -> s.startsWith("kafka.topics.frames:") && s.contains("not a Kafka topic name"))
                .anyMatch(s -> s.startsWith("kafka.topics") && s.contains("its own name"))
                .anyMatch(s -> s.startsWith("kafka.security.saslMechanism:"))
                .anyMatch(s -> s.contains("needs username and password"))
                .anyMatch(s -> s.startsWith("`kafka.partition`: unknown key; did you mean `kafka.partitions`?"));
        assertThat(RuntimeConfig.problems(new JsonObject("{" + MACHINES + ", \"kafka\": {\"group\": \"g\"}}"),
                Path.of("."))).anyMatch(s -> s.startsWith("kafka.bootstrapServers:") && s.contains("required"));
        // an instance of a cluster may have an MQTT front: it forwards to the frames topic (KafkaMqttFrontTest)
        assertThat(RuntimeConfig.problems(new JsonObject("{" + MACHINES + ", \"mqtt\": {\"host\": \"broker\"}, "
                + "\"kafka\": {\"bootstrapServers\": \"k1:9092\"}}"), Path.of(".")))
                .noneMatch(s -> s.startsWith("mqtt"));
        // the outbox's own destination for the cluster's topics is @kafka: no webhook may take its name
        assertThat(RuntimeConfig.problems(new JsonObject("{" + MACHINES + ", \"scheduler\": {\"endpoints\": [{\"name\": "
                + "\"@kafka\", \"url\": \"https://s.example.com/h\", \"secret\": \"0123456789abcdef\"}]}}"), Path.of(".")))
                .anyMatch(s -> s.contains("name") && s.contains("must not start with '@'"));
    }
}
