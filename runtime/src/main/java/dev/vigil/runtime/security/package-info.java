/** Who may do what: bearer tokens stored as SHA-256 hashes, each with one role and, for devices, its machines. */
package dev.vigil.runtime.security;
