package dev.vigil.runtime.security;

import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param name the token's name (shown in alert history as the actor when a request names nobody)
 * @param role what it may do
 * @param machines for devices, the machines it may send data for; empty for other roles
 */
public record Principal(String name, Role role, Set<String> machines) {
    public Principal {
        machines = Set.copyOf(machines);
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
