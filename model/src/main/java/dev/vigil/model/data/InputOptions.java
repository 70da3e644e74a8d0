package dev.vigil.model.data;

import java.util.List;

/**
 * How to read inputs; mirrors the {@code vigil train} options.
 *
 * @param timestampColumn tabular timestamp column, or null to detect it
 * @param ignore columns or channels to leave out
 * @param context operating-context columns (tabular: numeric or text; they condition the model, not scored)
 * @param labelColumn tabular label column (0/normal = healthy), or null
 * @param separator tabular separator, or null to detect it
 */
public record InputOptions(String timestampColumn, List<String> ignore, List<String> context, String labelColumn,
                           Character separator) {
    public InputOptions {
        ignore = ignore == null ? List.of() : List.copyOf(ignore);
        context = context == null ? List.of() : List.copyOf(context);
    }

    public static InputOptions defaults() {
        return new InputOptions(null, List.of(), List.of(), null, null);
    }
}
