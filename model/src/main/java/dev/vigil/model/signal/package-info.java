/** Signal processing shared by training and the runtime: windows, spectra, envelopes, orders. */
package dev.vigil.model.signal;
