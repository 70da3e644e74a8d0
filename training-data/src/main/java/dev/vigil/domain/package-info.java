/**
 * Values every module shares, below all of them: the frame (the unit every transport decodes to and the simulator
 * writes), the one fault vocabulary ({@link FaultType}: what the simulator injects, what the model's
 * hypothesis names and engineers confirm), machine kinds, bearing geometry and versions. It depends on nothing of
 * Vigil's.
 */
package dev.vigil.domain;
