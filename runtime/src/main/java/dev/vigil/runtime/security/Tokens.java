package dev.vigil.runtime.security;

import dev.vigil.model.bundle.Fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The configured tokens, keyed by the SHA-256 of the secret: the configuration never holds a usable secret.
 * Tokens are 256 random bits, so a fast hash is enough (no password stretching needed), and looking a hash up
 * in a map leaks nothing about the secret through timing.
 */
public final class Tokens {
    private final Map<String, Principal> byHash;
    private final boolean disabled;

    private Tokens(Map<String, Principal> byHash, boolean disabled) {
        this.byHash = Map.copyOf(byHash);
        this.disabled = disabled;
    }

    /** @param byHash principal per lower-case hex SHA-256 of its token */
    public static Tokens of(Map<String, Principal> byHash) {
        return new Tokens(byHash, false);
    }

    /** No authentication at all (explicit {@code auth.disabled: true}): every caller is an anonymous admin. */
    public static Tokens disabled() {
        return new Tokens(Map.of(), true);
    }

    public boolean isDisabled() {
        return disabled;
    }

    /** The caller named by an {@code Authorization} header value, or empty when missing, malformed or unknown. */
    public Optional<Principal> authenticate(String authorization) {
        if (disabled) {
            return Optional.of(new Principal("anonymous", Role.ADMIN, java.util.Set.of()));
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256(authorization.substring(7).trim())));
    }

    public static String sha256(String token) {
        return Fingerprint.of(token.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh token: 32 random bytes, URL-safe base64 with a {@code vgl_} prefix so leaked ones are greppable. */
    public static String generate(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return "vgl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
