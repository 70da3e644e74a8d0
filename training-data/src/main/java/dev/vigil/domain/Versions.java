package dev.vigil.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Vigil's version and those of the libraries a model depends on, as the build wrote them from the parent pom
 * ({@code dev/vigil/versions.properties}): the command lines print them, bundles record them. Written nowhere else.
 */
public final class Versions {
    private static final Properties VERSIONS = load();

    private Versions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/dev/vigil/versions.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/vigil/versions.properties is missing from the build");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Vigil's own version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String vigil() {
        return library("vigil");
    }

    /** A library's version by its artifact name ({@code deeplearning4j}, {@code commons-math3}, {@code jtransforms}). */
    public static String library(String name) {
        String v = VERSIONS.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("no version recorded for " + name);
        }
        return v;
    }
}
