package dev.vigil.runtime.stream;

/**
 * When a machine's data last got in, and what was refused since: the stale-data watchdog, the machine API and
 * availability read it. Only accepted data makes a machine fresh: a gateway whose every frame is refused (a wrong
 * clock, frames that no longer fit the stream) is as good as silent, and must not look alive. Thread-safe; its lock
 * is held for a few field writes only, never while scoring.
 */
public final class Arrivals {

    /**
     * @param lastAcceptedMillis when data was last accepted (wall clock, epoch ms), 0 if never since start
     * @param refusedSinceAccepted how many frames or requests were refused after that
     * @param firstRefusedMillis when the first of those was refused, 0 if none
     * @param lastRefusedMillis when the last of them was refused, 0 if none
     * @param lastReason why the last was refused, or null
     * @param refusedTotal refused since start
     */
    public record Snapshot(long lastAcceptedMillis, long refusedSinceAccepted, long firstRefusedMillis,
                           long lastRefusedMillis, String lastReason, long refusedTotal) {

        /** Since when nothing got in: the last accepted data, or the first refusal if nothing was ever accepted. */
        public long silentSinceMillis() {
            return lastAcceptedMillis != 0 ? lastAcceptedMillis : firstRefusedMillis;
        }

        /** Whether data arrives but is refused: refusals after the last accepted data, the latest within {@code millis}. */
        public boolean refusingWithin(long nowMillis, long millis) {
            return refusedSinceAccepted > 0 && nowMillis - lastRefusedMillis <= millis;
        }
    }

    private long lastAccepted;
    private long refusedSince;
    private long firstRefused;
    private long lastRefused;
    private String lastReason;
    private long refusedTotal;

    public synchronized void accepted(long epochMillis) {
        lastAccepted = Math.max(lastAccepted, epochMillis);
        refusedSince = 0;
        firstRefused = 0;
    }

    public synchronized void refused(long epochMillis, String reason) {
        if (refusedSince++ == 0) {
            firstRefused = epochMillis;
        }
        lastRefused = epochMillis;
        lastReason = reason;
        refusedTotal++;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(lastAccepted, refusedSince, firstRefused, lastRefused, lastReason, refusedTotal);
    }
}
