/**
 * Recording for retraining: each machine's raw frames in a rolling on-disk spool, the context around each alert
 * and healthy samples written out in the waveform recording format, within a disk quota.
 */
package dev.vigil.runtime.record;
