package dev.vigil.runtime.kafka;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.score.DriftFollower;
import dev.vigil.runtime.alert.Alert;
import dev.vigil.runtime.alert.Category;
import dev.vigil.runtime.alert.HistoryEntry;
import dev.vigil.runtime.alert.OutboxMessage;
import dev.vigil.runtime.alert.Severity;
import dev.vigil.runtime.alert.Verdict;
import dev.vigil.runtime.score.ModelDrift;
import dev.vigil.runtime.store.AvailabilityLog;
import dev.vigil.runtime.store.MachineStore;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateCodecTest {
    private static final Instant T = Instant.parse("2026-12-02T10:00:00.123Z");
    private final StateCodec codec = new StateCodec();

    static MachineState state() {
        Alert open = new Alert((9L << 29) + 4, "cnc-1", Category.MACHINE, "bearing-outer", Severity.CRITICAL, true, true,
                T, T.plusSeconds(30), null, null, 7.5, 3.0, 6.0, "{\"hypothesis\":\"bearing-outer\"}",
                new Alert.Handling("eve", T.plusSeconds(10), "bob", null, null, null, null, null));
        Alert stale = new Alert(12, "cnc-1", Category.SENSOR, "stale", Severity.WARNING, false, false, T.minusSeconds(99),
                T.minusSeconds(60), T.minusSeconds(50), T.minusSeconds(40), Double.NaN, Double.NaN, Double.NaN,
                "{\"problem\":\"no frames\"}", new Alert.Handling(null, null, null, null, "eve", Verdict.CONFIRMED,
                "cable", "stale"));
        return new MachineState("cnc-1", "vigil-a", T, List.of(open, stale), Map.of(open.id(), List.of(
                new HistoryEntry(T, "raised", "vigil", "warning", "bearing-outer", null),
                new HistoryEntry(T.plusSeconds(10), "acknowledged", "eve", null, null, null)), stale.id(), List.of()),
                new MachineStore.Feedback("cnc-1", 2, 1.44, T.minusSeconds(3600)),
                List.of(new OutboxMessage("plant", "cnc-1", "e-1", "vigil.alert.raised", "{\"id\":\"e-1\"}"),
                        new OutboxMessage("@kafka", "cnc-1", "e-1k", "vigil.alert.raised", "{\"id\":\"e-1k\"}")),
                new Calibration.AlarmState(7.25, 12, 0, true, 0b111),
                new AvailabilityLog.SchedulerAck("plant-scheduler", T.plusSeconds(20), true),
                new ModelDrift("0123456789ab", new DriftFollower.State(List.of("rms", "kurtosis"),
                        new double[]{0.75, Double.NaN}, 4000, 12, 1_700_000_000_000L)));
    }

    @Test
    void aMachinesStateReadsBackAsItWasWritten() {
        MachineState s = state();
        MachineState back = codec.decode(codec.encode(s));
        assertThat(back.machineId()).isEqualTo("cnc-1");
        assertThat(back.writtenBy()).isEqualTo("vigil-a");
        assertThat(back.at()).isEqualTo(T);
        assertThat(back.alerts()).isEqualTo(s.alerts());
        assertThat(back.histories()).isEqualTo(s.histories());
        assertThat(back.feedback()).isEqualTo(s.feedback());
        assertThat(back.undelivered()).isEqualTo(s.undelivered());
        assertThat(back.alarm()).isEqualTo(s.alarm());
        assertThat(back.schedulerAck()).isEqualTo(s.schedulerAck());
        assertThat(back.drift()).isEqualTo(s.drift());

        MachineState none = new MachineState("cnc-2", "vigil-b", T, List.of(), Map.of(), null, List.of(),
                new Calibration.AlarmState(Double.NaN, 0, 0, false, 0), null, null);
        assertThat(codec.decode(codec.encode(none)).feedback()).isNull();
        assertThat(codec.decode(codec.encode(none)).schedulerAck()).isNull();
        assertThat(codec.decode(codec.encode(none)).drift()).isNull();
        assertThat(codec.decode(codec.encode(none)).alerts()).isEmpty();
        assertThat(codec.decode(codec.encode(none)).alarm()).as("no smoothed score yet: NaN again").isEqualTo(none.alarm());
    }

    @Test
    void aRecordThatIsNotAStateIsRefusedNamingTheField() {
        JsonObject good = new JsonObject(new String(codec.encode(state()), StandardCharsets.UTF_8));
        assertThatThrownBy(() -> codec.decode("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> codec.decode(good.copy().put("version", 2).encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("format/version");
        JsonObject noId = good.copy();
        noId.getJsonArray("alerts").getJsonObject(1).remove("id");
        assertThatThrownBy(() -> codec.decode(noId.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessage("alerts[1].id: missing");
        JsonObject badSeverity = good.copy();
        badSeverity.getJsonArray("alerts").getJsonObject(0).put("severity", "dire");
        assertThatThrownBy(() -> codec.decode(badSeverity.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("alerts[0].").hasMessageContaining("dire");
        JsonObject badTime = good.copy();
        badTime.getJsonArray("alerts").getJsonObject(0).getJsonArray("history").getJsonObject(0).put("at", "noon");
        assertThatThrownBy(() -> codec.decode(badTime.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessage("alerts[0].history[0].at: expected number, got string");
        JsonObject noBody = good.copy();
        noBody.getJsonArray("undelivered").getJsonObject(1).remove("body");
        assertThatThrownBy(() -> codec.decode(noBody.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessage("undelivered[1].body: missing");
        JsonObject noAlarmFlag = good.copy();
        noAlarmFlag.getJsonObject("alarm").remove("alarm");
        assertThatThrownBy(() -> codec.decode(noAlarmFlag.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessage("alarm.alarm: missing");
        JsonObject lowFactor = good.copy();
        lowFactor.getJsonObject("feedback").put("factor", 0.5);
        assertThatThrownBy(() -> codec.decode(lowFactor.encode().getBytes(StandardCharsets.UTF_8)))
                .hasMessage("feedback.factor: must be at least 1");
    }
}
