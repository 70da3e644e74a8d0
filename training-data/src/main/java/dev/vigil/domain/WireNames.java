package dev.vigil.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The wire names of enum values (JSON, query parameters, stored text columns): the constant's name in lower case
 * with dashes ({@code FALSE_ALARM} is {@code false-alarm}, {@code AT_RISK} {@code at-risk}), so the API and the
 * stored rows keep their words while the code has types.
 */
public final class WireNames {
    private WireNames() {
    }

    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the field and the values allowed */
    public static <E extends Enum<E>> E parse(E[] values, String text, String field) {
        for (E v : values) {
            if (id(v).equals(text)) {
                return v;
            }
        }
        throw new IllegalArgumentException(field + " must be one of "
                + new TreeSet<>(Arrays.stream(values).map(WireNames::id).toList()) + ", got '" + text + "'");
    }
}
