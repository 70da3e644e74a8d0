/** The engineers' HTTP API (alerts and their lifecycle). */
package dev.vigil.runtime.api;
