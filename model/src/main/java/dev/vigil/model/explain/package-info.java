/** Why a score is high: attributions, the most likely fault with its physical evidence, and ISO 10816 zones. */
package dev.vigil.model.explain;
