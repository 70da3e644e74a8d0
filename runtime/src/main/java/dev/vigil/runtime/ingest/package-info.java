/** Getting sensor data in: the binary frame codec (docs/PROTOCOL.md), and later HTTP, WebSocket and MQTT. */
package dev.vigil.runtime.ingest;
