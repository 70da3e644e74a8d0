package dev.vigil.runtime.config;

import java.nio.file.Path;

/**
 * How Vigil connects to the plant's broker (docs/CONFIG.md, {@code mqtt}).
 *
 * @param username user at the broker, or null for an anonymous connection
 * @param password its password, or null
 * @param topic where frames are published, with {machine} and {channel} levels
 * @param clientId this Vigil's client id: unique per instance, and stable across restarts, because the broker keeps
 *                 the persistent session (and the messages published while Vigil was away) under it
 * @param persistentSession connect with clean-session off, so the broker queues QoS 1 messages while Vigil is down
 * @param tls TLS to the broker, or null for plain MQTT
 */
public record MqttSettings(String host, int port, String username, String password, String topic, String clientId,
                           boolean persistentSession, Tls tls) {

    /**
     * @param ca PEM certificates that sign the broker's certificate, or null for the JVM's trusted roots
     * @param cert this client's certificate (PEM), or null when the broker asks for none
     * @param key its private key (PEM, PKCS#8), with {@code cert}
     * @param keyStore instead of {@code cert} and {@code key}: a PKCS#12 file with the client's key and certificate
     * @param keyStorePassword its password
     * @param verifyHost whether the broker's certificate must name the host connected to
     */
    public record Tls(Path ca, Path cert, Path key, Path keyStore, String keyStorePassword, boolean verifyHost) {
    }

    /** Plain MQTT, anonymous, the default topic, a persistent session under {@code clientId}. */
    public static MqttSettings plain(String host, int port, String clientId) {
        return new MqttSettings(host, port, null, null, MqttTopics.DEFAULT, clientId, true, null);
    }
}
