/** The embedded SQLite store (WAL): alerts and their history, with schema migrations. Blocking: use from workers. */
package dev.vigil.runtime.store;
