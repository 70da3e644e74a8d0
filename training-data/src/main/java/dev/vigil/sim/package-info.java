/**
 * Physically grounded fleet simulator: CNC spindles and industrial robot joints, with machine and
 * sensor faults that grow over (optionally compressed) machine-life time, and exact ground truth.
 *
 * <p>Entry point: {@link dev.vigil.sim.Simulation}. Everything is deterministic for a given seed.
 */
package dev.vigil.sim;
