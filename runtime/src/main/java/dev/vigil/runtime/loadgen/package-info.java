/** The load generator: simulated machines streaming over WebSocket into a real service, measured end to end. */
package dev.vigil.runtime.loadgen;
