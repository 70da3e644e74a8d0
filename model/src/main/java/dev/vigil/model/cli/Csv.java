package dev.vigil.model.cli;

import java.util.List;

/** Small helpers for option values. */
final class Csv {
    private Csv() {
    }

    static List<String> names(List<String> values) {
        return values == null ? List.of() : values.stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static Character separator(String s) {
        if (s == null) {
            return null;
        }
        if (s.equals("\\t") || s.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (s.length() != 1) {
            throw new IllegalArgumentException("--separator takes one character (, ; or tab), got '" + s + "'");
        }
        return s.charAt(0);
    }
}
