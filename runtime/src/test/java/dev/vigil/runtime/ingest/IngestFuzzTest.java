package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.JsonMutations;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.runtime.stream.FrameException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing every parser of what gateways send: arbitrary bytes, valid frames with bytes flipped, truncated or
 * extended, and JSON documents mutated character by character. Each input is either decoded into something that
 * passes the decoder's own checks or refused with a {@link FrameException} whose message names the problem; no
 * other exception (an index out of bounds, a NullPointerException, a ClassCastException) ever escapes.
 */
class IngestFuzzTest {
    private final FrameCodec codec = new FrameCodec(4096);
    private final JsonFrames jsonFrames = new JsonFrames(4096);
    private final JsonReadings jsonReadings = new JsonReadings();

    private static byte[] validFrame() {
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i);
        }
        return FrameCodec.encode(new Frame("spindle-7", "accel_x", 1_796_190_000_000_000_000L, 25_600, x));
    }

    @Property(tries = 3000)
    void arbitraryBytesAreAFrameOrANamedRefusal(@ForAll @Size(max = 600) byte[] bytes) {
        decodeBinary(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        byte[] valid = validFrame();
        Arbitrary<Integer> at = Arbitraries.integers().between(0, valid.length - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        return Arbitraries.oneOf(
                // a few bytes changed
                at.list().ofMinSize(1).ofMaxSize(4).flatMap(positions -> value.list().ofSize(positions.size()).map(vs -> {
                    byte[] b = valid.clone();
                    for (int i = 0; i < positions.size(); i++) {
                        b[positions.get(i)] = vs.get(i);
                    }
                    return b;
                })),
                // cut short, or with bytes after the end
                at.map(n -> java.util.Arrays.copyOf(valid, n)),
                Arbitraries.integers().between(1, 64).map(n -> java.util.Arrays.copyOf(valid, valid.length + n)));
    }

    @Property(tries = 3000)
    void mutatedFramesAreAFrameOrANamedRefusal(@ForAll("mutatedFrames") byte[] bytes) {
        decodeBinary(bytes);
    }

    private void decodeBinary(byte[] bytes) {
        try {
            Frame f = codec.decode(bytes);
            assertThat(f.samples().length).isBetween(1, 4096);
            assertThat(f.sampleRateHz()).isPositive();
            assertThat(f.machineId()).isNotEmpty();
        } catch (FrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    static final String FRAMES = """
            {"frames": [{"channel": "accel_x", "startNanos": 1796190000000000000, "sampleRateHz": 25600,
              "samples": [0.1, -0.2, null, 3e-3]},
             {"channel": "current_u", "start": "2026-12-02T06:00:00Z", "sampleRateHz": 5000, "samples": [1, 2]}]}""";
    static final String READINGS = """
            {"rows": [{"time": "2026-12-02T06:00:00Z", "values": {"accel_x_rms": 0.02, "current_u_rms": null},
              "context": {"speed_rpm": 6000, "tool": "T5"}}]}""";

    @Provide
    Arbitrary<String> mutatedJson() {
        Arbitrary<String> base = Arbitraries.of(FRAMES, READINGS);
        Arbitrary<String> piece = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e400",
                "1e39", "\"x\"", "[]", "{}", "9223372036854775808", "NaN", "\\u0000", "0.5");
        return JsonMutations.of(base, piece);
    }

    @Property(tries = 4000)
    void mutatedJsonIsDecodedOrRefusedByName(@ForAll("mutatedJson") String doc) {
        try {
            List<Frame> frames = jsonFrames.decode("spindle-7", doc);
            assertThat(frames).isNotEmpty().allSatisfy(f -> assertThat(f.sampleRateHz()).isPositive());
        } catch (FrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        try {
            assertThat(jsonReadings.decode(doc)).isNotEmpty();
        } catch (FrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void arbitraryTextIsRefusedByName(@ForAll @Size(max = 200) String doc) {
        try {
            jsonFrames.decode("spindle-7", doc);
        } catch (FrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        try {
            jsonReadings.decode(doc);
        } catch (FrameException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
