package dev.vigil.runtime.config;

import java.net.URI;
import java.util.Set;

/**
 * A scheduler's webhook endpoint ({@code scheduler.endpoints[]}).
 *
 * @param secret the key its messages are signed with
 * @param tenants the tenants it may hear of (empty: all)
 */
public record WebhookEndpoint(String name, URI url, String secret, Set<String> tenants) {
    public WebhookEndpoint {
        tenants = Set.copyOf(tenants);
    }

    /** Whether it may hear of a machine of this tenant. */
    public boolean sees(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }
}
