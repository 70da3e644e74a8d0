package dev.vigil.runtime.config;

import dev.vigil.runtime.security.Role;

import java.util.Set;

/**
 * One configured token ({@code auth.tokens[]}): the token itself is never configured, only its SHA-256.
 *
 * @param machines the machines a device token sends data for (empty for other roles)
 * @param tenants the tenants the token is scoped to (empty: all)
 */
public record TokenSettings(String name, Role role, String sha256, Set<String> machines, Set<String> tenants) {
    public TokenSettings {
        machines = Set.copyOf(machines);
        tenants = Set.copyOf(tenants);
    }
}
