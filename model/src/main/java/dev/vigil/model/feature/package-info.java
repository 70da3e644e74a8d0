/**
 * The one feature pipeline: what training fits on and what the runtime scores is computed here, configured
 * by a {@link dev.vigil.model.feature.FeatureSpec} stored in every model bundle.
 */
package dev.vigil.model.feature;
