/** Per-machine stream processing: frames reassembled into the windows the model was trained on. */
package dev.vigil.runtime.stream;
