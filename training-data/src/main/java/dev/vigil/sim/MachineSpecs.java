package dev.vigil.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.domain.MachineKind;
import dev.vigil.format.DatasetFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads machine specs from JSON or YAML. A file names its {@code kind} and overrides only what differs from
 * the kind's defaults; nested objects merge, lists replace.
 */
public final class MachineSpecs {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private MachineSpecs() {
    }

    public static MachineSpec defaults(MachineKind kind, String id) {
        return kind == MachineKind.CNC ? CncSpec.defaults(id) : RobotSpec.defaults(id);
    }

    /** Reads a spec file (YAML is a superset of JSON, so one parser serves both). */
    public static MachineSpec load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "machine spec file not found");
        }
        JsonNode user;
        try {
            user = YAML.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw DatasetFormatException.syntax(file, "YAML/JSON", e);
        }
        if (user == null || !user.isObject()) {
            throw new DatasetFormatException(file, "expected a mapping with at least 'kind: cnc' or 'kind: robot'");
        }
        JsonNode kindNode = user.get("kind");
        if (kindNode == null || !kindNode.isTextual()) {
            throw new DatasetFormatException(file, "field 'kind': expected cnc or robot");
        }
        MachineKind kind;
        try {
            kind = MachineKind.parse(kindNode.asText());
        } catch (IllegalArgumentException e) {
            throw new DatasetFormatException(file, "field 'kind': " + e.getMessage());
        }
        String id = user.hasNonNull("id") ? user.get("id").asText() : kind.id() + "-1";
        return merge(file, defaults(kind, id), (ObjectNode) user);
    }

    /** Applies overrides on top of a spec, with the same rules as {@link #load(Path)}. */
    static MachineSpec merge(Path source, MachineSpec base, ObjectNode overrides) throws DatasetFormatException {
        ObjectNode tree = YAML.valueToTree(base);
        tree.put("kind", base.kind().id());
        deepMerge(tree, overrides);
        try {
            return YAML.treeToValue(tree, MachineSpec.class);
        } catch (UnrecognizedPropertyException e) {
            throw new DatasetFormatException(source, "unknown field '" + path(e) + "' (known here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")");
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
            String where = path(e);
            throw new DatasetFormatException(source, (where.isEmpty() ? "" : "field '" + where + "': ") + why);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(source, e.getOriginalMessage());
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static void deepMerge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode s) {
                deepMerge(t, s);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }
}
