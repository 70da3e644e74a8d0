/**
 * Scale-out through Apache Kafka (docs/SCALE-OUT.md): the topics a cluster of Vigil instances shares, frames in
 * through a consumer group, and what an instance needs to take over a machine from another.
 */
package dev.vigil.runtime.kafka;
