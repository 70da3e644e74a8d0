/** Command line of the training-data module: {@code vigil simulate} and {@code vigil make-samples}. */
package dev.vigil.cli;
