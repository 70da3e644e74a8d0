/**
 * The maintenance dashboard: static HTML and JavaScript served by the runtime (no build step, no internet), calling
 * the same authenticated API as every other client.
 */
package dev.vigil.runtime.dashboard;
