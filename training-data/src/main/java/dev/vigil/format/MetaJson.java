package dev.vigil.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.domain.BearingGeometry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** meta.json to and from {@link RecordingMeta}, with errors that name the field. */
final class MetaJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SAFE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private MetaJson() {
    }

    static void write(Path file, RecordingMeta meta) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", RecordingMeta.FORMAT);
        root.put("formatVersion", meta.formatVersion());
        root.put("machineId", meta.machineId());
        root.put("kind", meta.kind());
        root.put("start", meta.start().toString());
        root.put("durationS", meta.durationS());
        ArrayNode chans = root.putArray("channels");
        for (ChannelMeta c : meta.channels()) {
            ObjectNode n = chans.addObject();
            n.put("name", c.name());
            n.put("unit", c.unit());
            n.put("sampleRateHz", c.sampleRateHz());
            n.put("position", c.position());
            n.put("role", c.role());
            n.put("file", c.file());
            n.put("samples", c.samples());
            if (c.sha256() != null) {
                n.put("sha256", c.sha256());
            }
        }
        if (meta.bearing() != null) {
            root.set("bearing", MAPPER.valueToTree(meta.bearing()));
        }
        if (meta.simulation() != null) {
            root.set("simulation", meta.simulation());
        }
        Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
    }

    static RecordingMeta read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetFormatException(file, "meta.json is missing: not a recording directory, or an incomplete one");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw DatasetFormatException.syntax(file, "JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new DatasetFormatException(file, "expected a JSON object at the top level");
        }
        Fields f = new Fields(file);
        String format = f.text(root, "format");
        if (!RecordingMeta.FORMAT.equals(format)) {
            throw new DatasetFormatException(file, "field 'format': expected '" + RecordingMeta.FORMAT + "', found '" + format + "'");
        }
        int version = (int) f.positiveLong(root, "formatVersion");
        if (version > RecordingMeta.FORMAT_VERSION) {
            throw new DatasetFormatException(file, "field 'formatVersion': recording format " + version
                    + " is newer than this reader (" + RecordingMeta.FORMAT_VERSION + "); upgrade Vigil");
        }
        String machineId = f.text(root, "machineId");
        String kind = f.text(root, "kind");
        String startText = f.text(root, "start");
        Instant start;
        try {
            start = Instant.parse(startText);
        } catch (DateTimeParseException e) {
            throw new DatasetFormatException(file, "field 'start': expected an ISO-8601 instant such as "
                    + "2026-01-01T00:00:00Z, found '" + startText + "'");
        }
        JsonNode chans = root.get("channels");
        if (chans == null || !chans.isArray() || chans.isEmpty()) {
            throw new DatasetFormatException(file, "field 'channels': expected a non-empty array");
        }
        List<ChannelMeta> channels = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < chans.size(); i++) {
            JsonNode c = chans.get(i);
            String p = "channels[" + i + "].";
            if (!c.isObject()) {
                throw new DatasetFormatException(file, "field 'channels[" + i + "]': expected an object");
            }
            String name = f.text(c, "name", p);
            if (!names.add(name)) {
                throw new DatasetFormatException(file, "field '" + p + "name': duplicate channel '" + name + "'");
            }
            String fileName = f.text(c, "file", p);
            if (!SAFE_FILE.matcher(fileName).matches()) {
                throw new DatasetFormatException(file, "field '" + p + "file': '" + fileName
                        + "' must be a plain file name inside the recording directory");
            }
            double rate = f.positiveDouble(c, "sampleRateHz", p);
            long samples = f.nonNegativeLong(c, "samples", p);
            JsonNode sha = c.get("sha256");
            channels.add(new ChannelMeta(name, f.text(c, "unit", p), rate, f.optionalText(c, "position"),
                    f.optionalText(c, "role"), fileName, samples, sha == null || sha.isNull() ? null : sha.asText()));
        }
        BearingGeometry bearing = null;
        JsonNode b = root.get("bearing");
        if (b != null && !b.isNull()) {
            try {
                bearing = new BearingGeometry((int) f.positiveLong(b, "balls", "bearing."),
                        f.positiveDouble(b, "ballDiameterMm", "bearing."), f.positiveDouble(b, "pitchDiameterMm", "bearing."),
                        f.number(b, "contactAngleDeg", "bearing."));
            } catch (IllegalArgumentException e) {
                throw new DatasetFormatException(file, "field 'bearing': " + e.getMessage());
            }
        }
        JsonNode sim = root.get("simulation");
        return new RecordingMeta(version, machineId, kind, start, channels, bearing, sim == null || sim.isNull() ? null : sim);
    }

    /** Field access that reports the JSON path of a missing or mistyped field. */
    private record Fields(Path file) {
        String text(JsonNode node, String field) throws DatasetFormatException {
            return text(node, field, "");
        }

        String text(JsonNode node, String field, String prefix) throws DatasetFormatException {
            JsonNode v = node.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new DatasetFormatException(file, "field '" + prefix + field + "': expected a non-empty string, found "
                        + (v == null ? "nothing" : v.toString()));
            }
            return v.asText();
        }

        String optionalText(JsonNode node, String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? "" : v.asText();
        }

        double number(JsonNode node, String field, String prefix) throws DatasetFormatException {
            JsonNode v = node.get(field);
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new DatasetFormatException(file, "field '" + prefix + field + "': expected a number, found "
                        + (v == null ? "nothing" : v.toString()));
            }
            return v.asDouble();
        }

        double positiveDouble(JsonNode node, String field, String prefix) throws DatasetFormatException {
            double d = number(node, field, prefix);
            if (!(d > 0)) {
                throw new DatasetFormatException(file, "field '" + prefix + field + "': expected a positive number, found " + d);
            }
            return d;
        }

        long positiveLong(JsonNode node, String field) throws DatasetFormatException {
            return positiveLong(node, field, "");
        }

        long positiveLong(JsonNode node, String field, String prefix) throws DatasetFormatException {
            long v = nonNegativeLong(node, field, prefix);
            if (v <= 0) {
                throw new DatasetFormatException(file, "field '" + prefix + field + "': expected a positive integer, found " + v);
            }
            return v;
        }

        long nonNegativeLong(JsonNode node, String field, String prefix) throws DatasetFormatException {
            JsonNode v = node.get(field);
            if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                throw new DatasetFormatException(file, "field '" + prefix + field + "': expected a non-negative integer, found "
                        + (v == null ? "nothing" : v.toString()));
            }
            return v.asLong();
        }
    }
}
