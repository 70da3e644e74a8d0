package dev.vigil.runtime.security;

import java.util.Locale;

/**
 * What a token may do. {@code device}: send frames and readings for its own machines, nothing else.
 * {@code engineer}: read machines and alerts, act on alerts, export labels. {@code scheduler}: read machines,
 * alerts and the availability feed. {@code monitor}: {@code /metrics} only (a Prometheus scraper).
 * {@code admin}: everything, including model deployment.
 */
public enum Role {
    DEVICE, ENGINEER, SCHEDULER, MONITOR, ADMIN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the configuration spelling; null when it is none of the roles. */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.key().equals(s)) {
                return r;
            }
        }
        return null;
    }
}
