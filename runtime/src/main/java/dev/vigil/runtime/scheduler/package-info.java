/**
 * Shared-capacity scheduler integration: each machine's availability (status, risk, forecast horizon), CloudEvents
 * webhooks delivered from a durable outbox with HMAC signatures, and the reference scheduler used by tests and docs.
 */
package dev.vigil.runtime.scheduler;
