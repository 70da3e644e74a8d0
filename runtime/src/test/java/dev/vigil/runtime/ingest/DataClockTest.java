package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataClockTest {
    static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
    final DataClock clock = new DataClock(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5), Duration.ofDays(7));

    private static Frame at(Instant t, int samples) {
        return new Frame("m", "accel_x", t.getEpochSecond() * 1_000_000_000L + t.getNano(), 1000, new float[samples]);
    }

    @Test
    void dataWithinTheSkewAndTheCatchUpHorizonIsAccepted() {
        assertThatCode(() -> clock.check(at(NOW.minusSeconds(1), 1000))).doesNotThrowAnyException();
        assertThatCode(() -> clock.check(at(NOW.plusSeconds(290), 1000))).doesNotThrowAnyException();
        assertThatCode(() -> clock.check(at(NOW.minus(Duration.ofDays(6)), 1000))).doesNotThrowAnyException();
        assertThatCode(() -> clock.check(NOW.plusSeconds(299), "reading 1")).doesNotThrowAnyException();
    }

    @Test
    void dataTooFarAheadOrBehindIsRefusedSayingByHowMuch() {
        assertThatThrownBy(() -> clock.check(at(NOW.plus(Duration.ofDays(365)), 1000)))
                .isInstanceOf(ClockSkewException.class)
                .hasMessage("clock skew: frame for channel 'accel_x' is stamped 2027-12-02T06:00:00Z, 365.0 days ahead of "
                        + "the service clock (2026-12-02T06:00:00Z); data more than 5.0 min ahead is refused: check the "
                        + "gateway's clock (NTP)");
        // starts within the skew, but its last sample is beyond it
        assertThatThrownBy(() -> clock.check(at(NOW.plusSeconds(299), 10_000))).hasMessageContaining("5.2 min ahead");
        assertThatThrownBy(() -> clock.check(at(NOW.minus(Duration.ofDays(8)), 1000)))
                .hasMessageContaining("8.0 days behind the service clock").hasMessageContaining("scoring.catchUpHours");
        assertThatThrownBy(() -> clock.check(NOW.plus(Duration.ofHours(3)), "reading 4"))
                .hasMessageStartingWith("clock skew: reading 4 is stamped 2026-12-02T09:00:00Z, 3.0 h ahead");
    }

    @Test
    void theInt64ExtremesAreRefusedNotOverflowed() {
        for (long t : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1}) {
            Frame f = new Frame("m", "accel_x", t, 1e-3, new float[1 << 20]);
            assertThatThrownBy(() -> clock.check(f)).isInstanceOf(ClockSkewException.class)
                    .hasMessageContaining(t > 0 ? "2262-04-11" : "1677-09-21");
        }
    }

    @Test
    void unboundedAcceptsAnyDate() {
        assertThatCode(() -> DataClock.unbounded().check(at(Instant.EPOCH, 10))).doesNotThrowAnyException();
        assertThat(DataClock.unbounded()).isNotNull();
    }
}
