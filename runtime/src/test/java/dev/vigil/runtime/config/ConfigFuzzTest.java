package dev.vigil.runtime.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the configuration: a valid file with keys set to values of every wrong type and range (and unknown
 * sections), each either accepted or refused with "invalid configuration" and the offending keys; never a
 * ClassCastException or NullPointerException from a value of a type nobody expected.
 */
class ConfigFuzzTest {
    static final String VALID = """
            {"http": {"host": "127.0.0.1", "port": 8080},
             "storage": {"path": "data/vigil.db", "scoreBucketSeconds": 10, "scoreHistoryDays": 90},
             "scoring": {"toleranceSeconds": 0.2, "maxInFlightPerMachine": 16, "maxSamplesPerFrame": 65536,
                         "clockSkewSeconds": 300, "catchUpHours": 168, "followDrift": false},
             "alerts": {"escalateAfterMinutes": 30, "staleAfterSeconds": 30},
             "feedback": {"step": 1.1, "max": 1.5},
             "recording": {"enabled": false},
             "mqtt": {"host": "broker", "port": 1883, "clientId": "vigil-1", "persistentSession": true},
             "scheduler": {"site": "hall", "endpoints": [{"name": "p", "url": "http://127.0.0.1:9/hooks",
                           "secret": "a-long-shared-webhook-secret", "tenants": ["acme"]}]},
             "machines": [{"id": "spindle-7", "kind": "cnc", "tenant": "acme", "model": "m.zip"}],
             "auth": {"disabled": true}}""";
    static final List<String> PATHS = List.of("http", "http.host", "http.port", "http.tls", "storage", "storage.path",
            "storage.scoreBucketSeconds", "storage.scoreHistoryDays", "scoring", "scoring.toleranceSeconds",
            "scoring.maxInFlightPerMachine", "scoring.maxSamplesPerFrame", "scoring.clockSkewSeconds",
            "scoring.catchUpHours", "scoring.followDrift", "alerts", "alerts.staleAfterSeconds", "feedback.step",
            "recording", "recording.enabled", "recording.quotaMb", "mqtt", "mqtt.host", "mqtt.port", "mqtt.clientId",
            "mqtt.persistentSession", "mqtt.tls", "mqtt.tls.ca", "mqtt.topic", "scheduler", "scheduler.endpoints",
            "machines", "auth", "auth.tokens", "auth.disabled", "unknown");

    Arbitrary<Object> values() {
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.of(-1, 0, 1, 65536, Integer.MAX_VALUE).map(i -> (Object) i),
                Arbitraries.of(-1e300, -0.5, 0.0, 1e-9, 3.5, 1e300, Double.NaN).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                // mutable values are made afresh for each use (one shared object put inside itself would be a cycle)
                Arbitraries.of("list", "object", "machines").map(kind -> (Object) kind),
                Arbitraries.of("list", "object", "machines").map(ConfigFuzzTest::fresh));
    }

    private static Object fresh(String kind) {
        return switch (kind) {
            case "list" -> new JsonArray().add(1).add("x").add(new JsonObject());
            case "object" -> new JsonObject().put("x", 1);
            default -> new JsonArray().add(new JsonObject().put("id", 7).put("model", new JsonArray()));
        };
    }

    @Property(tries = 3000)
    void everyWrongValueIsNamedNeverThrown(@ForAll("paths") List<String> keys, @ForAll("valueLists") List<Object> values) {
        JsonObject config = new JsonObject(VALID);
        for (int i = 0; i < keys.size(); i++) {
            String[] parts = keys.get(i).split("\\.");
            JsonObject at = config;
            for (int j = 0; j < parts.length - 1 && at != null; j++) {
                at = at.getValue(parts[j]) instanceof JsonObject o ? o : null;
            }
            if (at != null) {
                Object v = values.get(i % values.size());
                at.put(parts[parts.length - 1], v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v);
            }
        }
        try {
            RuntimeConfig c = RuntimeConfig.from(config, Path.of("."));
            assertThat(c.machines()).isNotNull();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("invalid configuration");
        }
    }

    @Provide
    Arbitrary<List<String>> paths() {
        return Arbitraries.of(PATHS).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<Object>> valueLists() {
        return values().list().ofMinSize(1).ofMaxSize(4);
    }
}
