package dev.vigil.runtime.ingest;

import dev.vigil.runtime.stream.FrameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON numbers a float sample or a reading cannot hold are refused with their path, not turned into infinities. */
class JsonNumbersTest {

    @Test
    void numbersBeyondFloatRangeAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> new JsonFrames(1000).decode("m", "{\"frames\": [{\"channel\": \"accel_x\", "
                + "\"startNanos\": 0, \"sampleRateHz\": 100, \"samples\": [0.1, 1e39]}]}"))
                .isInstanceOf(FrameException.class).hasMessageContaining("samples[1]: 1.0E39 is beyond the range");
        assertThatThrownBy(() -> new JsonReadings().decode("{\"rows\": [{\"time\": \"2026-12-02T00:00:00Z\", "
                + "\"values\": {\"accel_x_rms\": 1e400}}]}"))
                .isInstanceOf(FrameException.class).hasMessageContaining("rows[0].values.accel_x_rms")
                .hasMessageContaining("not a finite number");
    }
}
