package dev.vigil.runtime.security;

import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param name the token's name (shown in alert history as the actor when a request names nobody)
 * @param role what it may do
 * @param machines for devices, the machines it may send data for; empty for other roles
 * @param tenants the tenants whose machines it may see, whatever its role (empty: all)
 */
public record Principal(String name, Role role, Set<String> machines, Set<String> tenants) {
    public Principal {
        machines = Set.copyOf(machines);
        tenants = Set.copyOf(tenants);
    }

    public Principal(String name, Role role, Set<String> machines) {
        this(name, role, machines, Set.of());
    }

    /** Whether this caller may see a tenant's machines. */
    public boolean seesTenant(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }

    public boolean mayIngest(String machineId) {
        return role == Role.ADMIN || role == Role.DEVICE && machines.contains(machineId);
    }

    public boolean hasAny(Role... roles) {
        for (Role r : roles) {
            if (r == role) {
                return true;
            }
        }
        return role == Role.ADMIN;
    }
}
