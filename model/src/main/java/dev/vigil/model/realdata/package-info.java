/**
 * Vigil measured on real public datasets (CWRU bearings, NASA IMS run-to-failure, NAB machine temperature):
 * converts each into Vigil's own formats, trains and scores through the same commands a user runs, computes
 * simple baselines in the same run, and writes docs/QUALITY.md. Nothing here is used by training or scoring.
 */
package dev.vigil.model.realdata;
