package dev.vigil.runtime.api;

import io.vertx.core.json.JsonObject;

/**
 * Where engineers' actions on the alerts of a machine another instance of a cluster scores go: to that instance,
 * which changes the alert, so that one instance decides each machine's alerts. Blocking: call from workers.
 */
public interface ActionForward {
    /** Whether the machine's alerts are changed by another instance (the one that scores it now). */
    boolean elsewhere(String machineId);

    /**
     * Hands the action on to the instance that scores the machine; returns once the cluster has it.
     *
     * @param action {@code action} (acknowledge, assign, comment, resolve), {@code alert}, {@code by} and the
     *               action's own fields, as the API took them
     * @return where it went, for the answer
     */
    String forward(String machineId, JsonObject action) throws Exception;
}
