/** Operations endpoints: health and, later, metrics. */
package dev.vigil.runtime.ops;
