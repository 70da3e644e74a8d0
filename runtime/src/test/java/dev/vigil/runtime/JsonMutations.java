package dev.vigil.runtime;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Documents with one to three pieces inserted or written over at random places: what the fuzz tests feed parsers. */
public final class JsonMutations {
    private JsonMutations() {
    }

    public static Arbitrary<String> of(Arbitrary<String> documents, Arbitrary<String> pieces) {
        return documents.flatMap(doc -> Arbitraries.integers().between(0, doc.length()).list().ofMinSize(1).ofMaxSize(3)
                .flatMap(cuts -> pieces.list().ofSize(cuts.size()).flatMap(chosen -> Arbitraries.of(true, false)
                        .map(replace -> {
                            StringBuilder b = new StringBuilder(doc);
                            for (int i = 0; i < cuts.size(); i++) {
                                int at = Math.min(cuts.get(i), b.length());
                                if (replace && at < b.length()) {
                                    b.replace(at, Math.min(b.length(), at + chosen.get(i).length()), chosen.get(i));
                                } else {
                                    b.insert(at, chosen.get(i));
                                }
                            }
                            return b.toString();
                        }))));
    }
}
