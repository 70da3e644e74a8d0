package dev.vigil.runtime.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which keys of a configuration the parser read, so that every other key can be named as unknown with the
 * nearest valid one ("{@code scoring.tolerence}: unknown key; did you mean {@code scoring.toleranceSeconds}?").
 * The parser itself is the list of valid keys: each key is written once, where it is read; a misspelt key is no
 * longer silently ignored while its default applies. Paths name list elements by index in messages
 * ({@code machines[2].modle}) and as {@code []} when comparing.
 */
final class ReadKeys {
    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();
    /** How alike a key must be to a valid one to be suggested (typos and case slips pass, other words do not). */
    private static final double SUGGEST_ABOVE = 0.8;
    private final Set<String> read = new HashSet<>();

    /** A view of {@code json} that records every key read through it and through what it contains. */
    JsonObject track(JsonObject json) {
        return new TrackedObject("", json.getMap());
    }

    /** Every key of {@code json} the parser did not read, with its nearest valid sibling when one is close. */
    List<String> unknown(JsonObject json) {
        List<String> out = new ArrayList<>();
        walk(json.getMap(), "", "", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void walk(Map<String, Object> map, String shown, String normal, List<String> out) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = normal + e.getKey();
            if (!read.contains(key)) {
                out.add("`" + shown + e.getKey() + "`: unknown key" + suggestion(normal, e.getKey(), shown));
                continue;
            }
            walkValue(e.getValue(), shown + e.getKey(), key, out);
        }
    }

    @SuppressWarnings("unchecked")
    private void walkValue(Object v, String shown, String normal, List<String> out) {
        if (v instanceof JsonObject o) {
            walk(o.getMap(), shown + ".", normal + ".", out);
        } else if (v instanceof Map<?, ?> m) {
            walk((Map<String, Object>) m, shown + ".", normal + ".", out);
        } else if (v instanceof JsonArray a) {
            walkList(a.getList(), shown, normal, out);
        } else if (v instanceof List<?> l) {
            walkList(l, shown, normal, out);
        }
    }

    private void walkList(List<?> list, String shown, String normal, List<String> out) {
        for (int i = 0; i < list.size(); i++) {
            walkValue(list.get(i), shown + "[" + i + "]", normal + "[]", out);
        }
    }

    private String suggestion(String parent, String key, String shown) {
        String best = null;
        double bestScore = SUGGEST_ABOVE;
        for (String r : read) {
            if (!r.startsWith(parent) || r.indexOf('.', parent.length()) >= 0 || r.indexOf('[', parent.length()) >= 0) {
                continue;
            }
            String candidate = r.substring(parent.length());
            double score = SIMILARITY.apply(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (score > bestScore || score == bestScore && best != null && candidate.compareTo(best) < 0) {
                best = candidate;
                bestScore = score;
            }
        }
        return best == null ? "" : "; did you mean `" + shown + best + "`?";
    }

    private Object wrap(String path, Object v) {
        if (v instanceof JsonObject o) {
            return new TrackedObject(path + ".", o.getMap());
        }
        if (v instanceof JsonArray a) {
            return new TrackedArray(path + "[]", a.getList());
        }
        return v;
    }

    /** A mapping whose reads are recorded under its path. */
    private final class TrackedObject extends JsonObject {
        private final String path;

        TrackedObject(String path, Map<String, Object> map) {
            super(map);
            this.path = path;
        }

        @Override
        public Object getValue(String key) {
            read.add(path + key);
            return wrap(path + key, super.getValue(key));
        }

        @Override
        public Object getValue(String key, Object def) {
            Object v = getValue(key);
            return v == null ? def : v;
        }
    }

    /** A list whose elements' reads are recorded under its path. */
    private final class TrackedArray extends JsonArray {
        private final String path;

        @SuppressWarnings("rawtypes")
        TrackedArray(String path, List list) {
            super(list);
            this.path = path;
        }

        @Override
        public Object getValue(int pos) {
            return wrap(path, super.getValue(pos));
        }
    }
}
