package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Refuses data stamped too far from the service clock. A machine's windows follow its data's timestamps, so one
 * frame from a gateway whose clock is a year ahead (or that sends the int64 extremes) would move the machine's
 * window grid there, and every true frame after it would be refused as late. Ahead, a few minutes are allowed
 * (clocks drift and NTP steps them); behind, a bounded catch-up horizon (a gateway sending what it buffered while
 * the network was down). Everything beyond is refused with a message that says by how much, so that the gateway's
 * clock gets fixed.
 */
public final class DataClock {
    private final Clock clock;
    private final Duration ahead;
    private final Duration behind;

    /**
     * @param ahead data may start or end at most this far after the service clock
     * @param behind data may start at most this far before it
     */
    public DataClock(Clock clock, Duration ahead, Duration behind) {
        this.clock = clock;
        this.ahead = ahead;
        this.behind = behind;
    }

    /** No limits: for offline tools and tests of the ingest path alone, which replay recorded data. */
    public static DataClock unbounded() {
        return new DataClock(Clock.systemUTC(), null, null);
    }

    public void check(Frame f) throws ClockSkewException {
        if (ahead == null) {
            return;
        }
        double start = f.startNanos() / 1e9;
        double end = start + f.samples().length / f.sampleRateHz();
        check("frame for channel '" + f.channel() + "'", start, end);
    }

    /** @param what names the reading in the message (its row) */
    public void check(Instant time, String what) throws ClockSkewException {
        if (ahead == null) {
            return;
        }
        double t = time.getEpochSecond() + time.getNano() / 1e9;
        check(what, t, t);
    }

    private void check(String what, double startSeconds, double endSeconds) throws ClockSkewException {
        Instant now = clock.instant();
        double nowSeconds = now.getEpochSecond() + now.getNano() / 1e9;
        double early = nowSeconds - startSeconds;
        double late = endSeconds - nowSeconds;
        if (late > ahead.toMillis() / 1e3) {
            throw new ClockSkewException(String.format(Locale.ROOT, "clock skew: %s is stamped %s, %s ahead of the "
                    + "service clock (%s); data more than %s ahead is refused: check the gateway's clock (NTP)", what,
                    stamp(startSeconds), span(late), now, span(ahead.toMillis() / 1e3)));
        }
        if (early > behind.toMillis() / 1e3) {
            throw new ClockSkewException(String.format(Locale.ROOT, "clock skew: %s is stamped %s, %s behind the "
                    + "service clock (%s); data more than %s old is refused (scoring.catchUpHours): check the gateway's "
                    + "clock (NTP)", what, stamp(startSeconds), span(early), now, span(behind.toMillis() / 1e3)));
        }
    }

    private static String stamp(double epochSeconds) {
        // the int64 extremes of a frame's nanoseconds lie within Instant's range; readings are already Instants
        return Instant.ofEpochMilli((long) Math.max(Long.MIN_VALUE, Math.min(Long.MAX_VALUE, epochSeconds * 1e3)))
                .toString();
    }

    private static String span(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        if (seconds < 172_800) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        return String.format(Locale.ROOT, "%.1f days", seconds / 86_400);
    }
}
