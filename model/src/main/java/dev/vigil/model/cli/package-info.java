/** {@code vigil train | score | evaluate | inspect | compare}. */
package dev.vigil.model.cli;
