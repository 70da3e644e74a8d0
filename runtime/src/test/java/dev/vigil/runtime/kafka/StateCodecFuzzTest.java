package dev.vigil.runtime.kafka;

import dev.vigil.runtime.JsonMutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the reader of the state topic, which the next owner of a machine takes its alerts, feedback and drift from:
 * a record written with a valid state's text changed in a few places, cut short or arbitrary, is either read as a
 * state or refused with an {@link IllegalArgumentException} naming what is wrong, which its callers log and pass
 * over. No other exception (a NullPointerException, a DateTimeException, an index out of bounds) escapes: one would
 * reach the consumer's loop instead of being passed over.
 */
class StateCodecFuzzTest {
    private static final String STATE = new String(new StateCodec().encode(StateCodecTest.state()),
            StandardCharsets.UTF_8);
    private final StateCodec codec = new StateCodec();

    @Provide
    Arbitrary<String> mutatedStates() {
        Arbitrary<String> piece = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e400",
                "-9223372036854775808", "9223372036854775808", "1e19", "\"x\"", "[]", "{}", "NaN", "\\u0000", "0.5",
                "\"2026-12-02T10:00:00Z\"", "[\"a\"]", "[1,2,3]", "{\"a\":1}");
        return JsonMutations.of(Arbitraries.just(STATE), piece);
    }

    /** Values replaced whole: every field of the state given a value of another type. */
    @Provide
    Arbitrary<String> retypedStates() {
        Arbitrary<String> value = Arbitraries.of("null", "true", "-1", "0", "1.5", "1e300", "-9223372036854775808",
                "\"\"", "\"x\"", "[]", "[null]", "[\"a\",1]", "{}", "{\"a\":null}");
        // the positions where a value starts: after every ':' of the document
        java.util.List<Integer> colons = new java.util.ArrayList<>();
        for (int i = 0; i < STATE.length(); i++) {
            if (STATE.charAt(i) == ':') {
                colons.add(i + 1);
            }
        }
        return Arbitraries.of(colons).flatMap(at -> value.map(v -> {
            int end = valueEnd(STATE, at);
            return STATE.substring(0, at) + v + STATE.substring(end);
        }));
    }

    /** Where the JSON value starting at {@code at} ends (a string, a number or literal, an object or array). */
    private static int valueEnd(String s, int at) {
        int depth = 0;
        boolean inString = false;
        for (int i = at; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    @Property(tries = 3000)
    void aMutatedStateIsReadOrRefusedByName(@ForAll("mutatedStates") String doc) {
        decode(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 2000)
    void aFieldOfAnotherTypeIsRefusedByName(@ForAll("retypedStates") String doc) {
        decode(doc.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void arbitraryBytesAreRefusedByName(@ForAll @Size(max = 300) byte[] bytes) {
        decode(bytes);
    }

    private void decode(byte[] bytes) {
        try {
            MachineState s = codec.decode(bytes);
            assertThat(s.machineId()).isNotNull();
            assertThat(s.alerts()).isNotNull();
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
