package dev.vigil.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an instance of a Vigil cluster joins the others through Apache Kafka (docs/SCALE-OUT.md, {@code kafka}).
 *
 * @param bootstrapServers {@code host:port} list of brokers
 * @param group the consumer group every instance of one cluster joins: each machine is scored by one of them
 * @param instance this instance's name: unique in the cluster, stable across restarts
 * @param topics the topics' names
 * @param partitions partitions of the topics Vigil creates (machines are spread over them; more partitions than
 *                   instances, so that one more instance gets a share)
 * @param replicationFactor replicas of the topics Vigil creates, or 0 for the brokers' default
 * @param framesRetentionHours how long frames are kept (a restarted cluster rescores what it had not committed)
 * @param createTopics whether missing topics are created at start (else their absence is an error)
 * @param security how clients authenticate and encrypt
 */
public record KafkaSettings(String bootstrapServers, String group, String instance, Topics topics, int partitions,
                            int replicationFactor, double framesRetentionHours, boolean createTopics,
                            Security security) {

    /**
     * @param frames frames in, keyed by machine id (binary frame v1, docs/PROTOCOL.md)
     * @param state each machine's state for the instance that takes it over (compacted, keyed by machine id)
     * @param commands engineers' actions for the instance that owns the machine, keyed by machine id
     * @param alerts alert changes as CloudEvents, keyed by machine id
     * @param availability availability changes as CloudEvents, keyed by machine id (compacted: the latest per machine
     *                     stays, every change for at least a week)
     * @param models the models deployed through the API and their bundles, read whole by every instance (compacted)
     */
    public record Topics(String frames, String state, String commands, String alerts, String availability,
                         String models) {
        public static Topics defaults() {
            return new Topics("vigil.frames", "vigil.state", "vigil.commands", "vigil.alerts", "vigil.availability",
                    "vigil.models");
        }
    }

    /**
     * @param protocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
     * @param saslMechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with SASL), else null
     * @param username SASL user, or null
     * @param password SASL password, or null
     * @param trustStore PKCS#12 or JKS with the CAs that sign the brokers' certificates, or null for the JVM's
     * @param trustStorePassword its password, or null
     */
    public record Security(String protocol, String saslMechanism, String username, String password, Path trustStore,
                           String trustStorePassword) {
        public static Security plaintext() {
            return new Security("PLAINTEXT", null, null, null, null, null);
        }
    }

    /** Plain connections, the default topics, 12 partitions, the brokers' default replication. */
    public static KafkaSettings plain(String bootstrapServers, String group, String instance) {
        return new KafkaSettings(bootstrapServers, group, instance, Topics.defaults(), 12, 0, 24, true,
                Security.plaintext());
    }

    /** The connection properties every client of this instance (consumer, producer, admin) shares. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", instance);
        p.put("security.protocol", security.protocol());
        if (security.saslMechanism() != null) {
            p.put("sasl.mechanism", security.saslMechanism());
            String module = security.saslMechanism().equals("PLAIN")
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(security.username())
                    + "\" password=\"" + jaasQuoted(security.password()) + "\";");
        }
        if (security.trustStore() != null) {
            p.put("ssl.truststore.location", security.trustStore().toString());
            if (security.trustStorePassword() != null) {
                p.put("ssl.truststore.password", security.trustStorePassword());
            }
        }
        return p;
    }

    /**
     * A producer's properties: the connection, a client id naming what it is for, and what every producer of a cluster
     * needs (idempotent, acknowledged by every in-sync replica: nothing written twice, nothing lost that was acked).
     */
    public Map<String, Object> producerProperties(String purpose) {
        Map<String, Object> p = clientProperties();
        p.put("client.id", instance + "-" + purpose);
        p.put("enable.idempotence", true);
        p.put("acks", "all");
        return p;
    }

    private static String jaasQuoted(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
