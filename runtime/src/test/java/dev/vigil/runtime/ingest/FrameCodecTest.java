package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec(1 << 20);
    private final Frame frame = new Frame("cnc-1", "accel_x", 1_767_225_600_000_000_000L, 25_600,
            new float[]{0.5f, -1.25f, Float.NaN, 3e-3f});

    @Test
    void roundTrip() throws Exception {
        byte[] bytes = FrameCodec.encode(frame);
        assertThat(bytes).hasSize(4 + 2 + 5 + 2 + 7 + 8 + 8 + 4 + 16 + 4);
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo("VGF1".getBytes(StandardCharsets.US_ASCII));
        Frame back = codec.decode(bytes);
        assertThat(back.machineId()).isEqualTo("cnc-1");
        assertThat(back.channel()).isEqualTo("accel_x");
        assertThat(back.startNanos()).isEqualTo(frame.startNanos());
        assertThat(back.sampleRateHz()).isEqualTo(25_600);
        assertThat(back.samples()).containsExactly(0.5f, -1.25f, Float.NaN, 3e-3f);
    }

    @Test
    void everyDamageIsNamed() {
        byte[] good = FrameCodec.encode(frame);
        byte[] flipped = good.clone();
        flipped[30] ^= 1;
        assertThatThrownBy(() -> codec.decode(flipped)).hasMessageContaining("bad CRC");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length - 3))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(good, good.length + 2))).hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> codec.decode("HTTP/1.1".getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("VGF1");
        assertThatThrownBy(() -> codec.decode(new byte[]{'V', 'G'})).hasMessageContaining("truncated in the magic");
        assertThatThrownBy(() -> new FrameCodec(2).decode(good)).hasMessageContaining("sample count 4 outside 1..2");
        byte[] badRate = FrameCodec.encode(new Frame("m", "c", 0, -5, new float[]{1}));
        assertThatThrownBy(() -> codec.decode(badRate)).hasMessageContaining("sample rate");
    }
}
