package dev.vigil.sim;

import dev.vigil.domain.Frame;
import dev.vigil.domain.MachineKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FrameStreamTest {

    @Test
    void framesAreContiguousPerChannelAndCarryTheSameSamplesAsBlocks() {
        Simulation s = Simulation.builder(MachineSpecs.defaults(MachineKind.ROBOT, "robot-7")).lifeDurationS(1).seed(3).build();
        Map<String, Long> nextStart = new HashMap<>();
        Map<String, List<float[]>> byChannel = new HashMap<>();
        Iterator<Frame> frames = s.frames();
        int count = 0;
        while (frames.hasNext()) {
            Frame f = frames.next();
            count++;
            assertThat(f.machineId()).isEqualTo("robot-7");
            Long expected = nextStart.get(f.channel());
            if (expected != null) {
                assertThat(f.startNanos()).as(f.channel()).isEqualTo(expected);
            } else {
                assertThat(f.startNanos()).isEqualTo(Simulation.DEFAULT_START.getEpochSecond() * 1_000_000_000L);
            }
            nextStart.put(f.channel(), f.endNanos());
            byChannel.computeIfAbsent(f.channel(), k -> new ArrayList<>()).add(f.samples());
        }
        assertThat(count).isEqualTo(10 * s.channels().size());
        float[] j2 = Signals.collect(s, "j2_vibration");
        float[] fromFrames = new float[j2.length];
        int at = 0;
        for (float[] part : byChannel.get("j2_vibration")) {
            System.arraycopy(part, 0, fromFrames, at, part.length);
            at += part.length;
        }
        assertThat(fromFrames).containsExactly(j2);
    }

    @Test
    void liveFramesAreReleasedWhenTheirLastSampleWouldExist() {
        FakeClock clock = new FakeClock();
        Simulation s = Simulation.builder(CncSpec.defaults("cnc-live")).lifeDurationS(0.3).build();
        Iterator<Frame> live = s.liveFrames(2.0, clock);
        List<Long> releasedAt = new ArrayList<>();
        while (live.hasNext()) {
            live.next();
            releasedAt.add(clock.now);
        }
        int perBlock = s.channels().size();
        // at twice real time, each 0.1 s block is due 50 ms after the previous one
        assertThat(releasedAt.get(0)).isEqualTo(50_000_000L);
        assertThat(releasedAt.get(perBlock)).isEqualTo(100_000_000L);
        assertThat(releasedAt.get(releasedAt.size() - 1)).isEqualTo(150_000_000L);
    }

    @Test
    void endlessSimulationKeepsStreaming() {
        Simulation s = Simulation.builder(CncSpec.defaults("cnc-e")).lifeDurationS(Double.POSITIVE_INFINITY).build();
        Iterator<SimBlock> blocks = s.blocks();
        for (int i = 0; i < 50; i++) {
            assertThat(blocks.hasNext()).isTrue();
            blocks.next();
        }
        assertThat(s.recordingSeconds()).isInfinite();
    }

    private static final class FakeClock implements PacedFrames.Clock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }
}
