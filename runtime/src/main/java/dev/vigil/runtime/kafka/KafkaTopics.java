package dev.vigil.runtime.kafka;

import dev.vigil.runtime.config.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The topics a cluster shares, made when missing with the partitions, clean-up and retention each needs, and
 * checked when present: frames, state and commands are read together per machine, so they must have the same
 * number of partitions (a machine's key lands on the same partition number in each).
 */
public final class KafkaTopics {
    /** Changes a consumer may lag behind and still see every one: compaction leaves a week of them alone. */
    static final Duration EVERY_CHANGE_FOR = Duration.ofDays(7);
    private final KafkaSettings settings;

    public KafkaTopics(KafkaSettings settings) {
        this.settings = settings;
    }

    /** What each topic is made with: partitions and its topic-level configuration. */
    record Spec(String name, int partitions, Map<String, String> config) {
    }

    List<Spec> specs() {
        KafkaSettings.Topics t = settings.topics();
        int p = settings.partitions();
        String week = String.valueOf(EVERY_CHANGE_FOR.toMillis());
        long frames = Math.round(settings.framesRetentionHours() * 3_600_000);
        return List.of(
                new Spec(t.frames(), p, Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(frames))),
                // the latest state of every machine stays, whenever it was written
                new Spec(t.state(), p, Map.of("cleanup.policy", "compact")),
                new Spec(t.commands(), p, Map.of("cleanup.policy", "delete", "retention.ms", week)),
                new Spec(t.alerts(), p, Map.of("cleanup.policy", "delete", "retention.ms",
                        String.valueOf(Duration.ofDays(30).toMillis()))),
                new Spec(t.availability(), p, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", week)),
                // every machine's newest model record and the bundles it names stay (older bundles are deleted)
                new Spec(t.models(), p, Map.of("cleanup.policy", "compact")));
    }

    /**
     * Creates the missing topics (when the settings allow) and checks the co-partitioned ones.
     *
     * @return the names of the topics created
     * @throws IllegalStateException naming the topic and what is wrong with it
     */
    public List<String> ensure(Admin admin, Duration timeout) throws Exception {
        long ms = timeout.toMillis();
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            throw new IllegalStateException("kafka: no broker at " + settings.bootstrapServers() + " answered within "
                    + timeout.toSeconds() + " s" + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        }
        List<NewTopic> missing = new ArrayList<>();
        for (Spec s : specs()) {
            if (!existing.contains(s.name())) {
                missing.add(new NewTopic(s.name(), Optional.of(s.partitions()), settings.replicationFactor() > 0
                        ? Optional.of((short) settings.replicationFactor()) : Optional.empty()).configs(s.config()));
            }
        }
        if (!missing.isEmpty() && !settings.createTopics()) {
            throw new IllegalStateException("kafka: topics missing and kafka.createTopics is false: "
                    + missing.stream().map(NewTopic::name).toList());
        }
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e
                : admin.createTopics(missing).values().entrySet()) {
            try {
                e.getValue().get(ms, TimeUnit.MILLISECONDS);
                created.add(e.getKey());
            } catch (ExecutionException ex) {
                // another instance starting at the same time made it first
                if (!(ex.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("kafka: cannot create topic " + e.getKey() + ": "
                            + ex.getCause().getMessage(), ex.getCause());
                }
            }
        }
        KafkaSettings.Topics t = settings.topics();
        Map<String, TopicDescription> described = described(admin, specs().stream().map(Spec::name).toList(),
                System.nanoTime() + timeout.toNanos());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : List.of(t.frames(), t.state(), t.commands())) {
            counts.put(name, described.get(name).partitions().size());
        }
        if (counts.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("kafka: topics " + counts.keySet() + " must have the same number of "
                    + "partitions (a machine's frames, state and commands are read by the same instance), found " + counts);
        }
        return created;
    }

    /**
     * The topics' descriptions once every broker asked knows them: a topic just created is known to the controller
     * first, and the brokers learn of it a moment later.
     */
    private static Map<String, TopicDescription> described(Admin admin, List<String> names, long untilNanos)
            throws Exception {
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(Math.max(1, (untilNanos - System.nanoTime())
                        / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > untilNanos) {
                    throw new IllegalStateException("kafka: cannot describe topics " + names + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100);
            }
        }
    }
}
