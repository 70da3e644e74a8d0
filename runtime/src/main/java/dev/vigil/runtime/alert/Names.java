package dev.vigil.runtime.alert;

import java.util.Arrays;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The wire names of alert values (JSON, query parameters, the store's text columns): the constant's name in lower
 * case with dashes ({@code FALSE_ALARM} is {@code false-alarm}), so the API and the stored rows never change with
 * the enums.
 */
final class Names {
    private Names() {
    }

    static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws IllegalArgumentException naming the field and the values allowed */
    static <E extends Enum<E>> E parse(E[] values, String text, String field) {
        for (E v : values) {
            if (id(v).equals(text)) {
                return v;
            }
        }
        throw new IllegalArgumentException(field + " must be one of "
                + new TreeSet<>(Arrays.stream(values).map(Names::id).toList()) + ", got '" + text + "'");
    }
}
