/** Scoring machines' streams with their model bundles, off the event loop. */
package dev.vigil.runtime.score;
