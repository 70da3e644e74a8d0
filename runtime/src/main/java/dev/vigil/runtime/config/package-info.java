/** The service's configuration: YAML (vertx-config) with environment overrides, validated once at start. */
package dev.vigil.runtime.config;
