/**
 * Dataset formats (see training-data/FORMATS.md): waveform recordings (meta.json, one little-endian float32
 * file per channel, labels.csv) and tabular CSV exports from historians and SCADA. Readers stream; every
 * error names the file, line and column.
 */
package dev.vigil.format;
