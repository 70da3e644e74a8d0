/** {@code vigil serve}. */
package dev.vigil.runtime.cli;
