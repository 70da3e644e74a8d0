package dev.vigil.model.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.domain.Versions;
import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.data.DataQualityReport;
import dev.vigil.model.detect.AutoencoderDetector;
import dev.vigil.model.detect.Detector;
import dev.vigil.model.detect.DetectorKind;
import dev.vigil.model.detect.PcaDetector;
import dev.vigil.model.detect.Preprocessor;
import dev.vigil.model.detect.SequenceAutoencoderDetector;
import dev.vigil.model.explain.IsoZone;
import dev.vigil.model.feature.FeatureDef;
import dev.vigil.model.feature.FeatureSpec;
import dev.vigil.model.score.Model;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads model bundles: a zip holding {@code manifest.json}, the detector's state
 * ({@code detector/autoencoder.zip}, a DL4J ModelSerializer file, or inline in the manifest for PCA) and
 * {@code checksums.sha256} over every other entry. Loading verifies the checksums and the format version
 * before anything else is trusted.
 *
 * @param model the trained model
 * @param manifest the manifest as written (provenance included)
 */
public record Bundle(Model model, JsonNode manifest) {
    public static final String FORMAT = "vigil-model-bundle";
    public static final int FORMAT_VERSION = 1;
    public static final String VIGIL_VERSION = Versions.vigil();
    static final String MANIFEST = "manifest.json";
    static final String CHECKSUMS = "checksums.sha256";
    static final String AUTOENCODER = "detector/autoencoder.zip";
    static final String SEQUENCE = "detector/sequence-autoencoder.zip";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Writes a bundle atomically (temp file, then rename). */
    public static JsonNode write(Path file, Model model, DataQualityReport quality, TrainingRecord training, long seed)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        m.put("createdAt", Instant.now().toString());
        m.put("vigilVersion", VIGIL_VERSION);
        ObjectNode det = m.putObject("detector");
        det.put("name", model.detector().name());
        det.set("hyperParameters", JSON.valueToTree(model.detector().hyperParameters()));
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (model.detector() instanceof PcaDetector pca) {
            det.set("pca", JSON.valueToTree(BundleState.Pca.of(pca)));
        } else if (model.detector() instanceof AutoencoderDetector ae) {
            det.put("file", AUTOENCODER);
            det.put("features", ae.features());
            det.put("contextWidth", ae.contextWidth());
            det.put("errorRef", ae.errorRef());
            files.put(AUTOENCODER, ae.save());
        } else if (model.detector() instanceof SequenceAutoencoderDetector seq) {
            det.put("file", SEQUENCE);
            det.put("features", seq.features());
            det.put("contextWidth", seq.contextWidth());
            det.put("sequenceLength", seq.length());
            det.put("errorRef", seq.errorRef());
            files.put(SEQUENCE, seq.save());
        } else {
            throw new IllegalArgumentException("cannot save detector " + model.detector().name());
        }
        m.set("input", JSON.valueToTree(model.spec()));
        m.set("features", JSON.valueToTree(model.features()));
        ObjectNode ctx = m.putObject("context");
        ctx.set("numeric", JSON.valueToTree(model.numericContext()));
        ctx.set("categorical", JSON.valueToTree(model.categoricalContext()));
        m.set("normaliser", JSON.valueToTree(BundleState.Normaliser.of(model.preprocessor())));
        m.set("calibration", JSON.valueToTree(BundleState.Levels.of(model.calibration())));
        if (model.isoClass() != null) {
            m.put("isoClass", model.isoClass().id());
        }
        m.set("dataQuality", JSON.valueToTree(quality));
        m.set("training", JSON.valueToTree(training));
        m.put("seed", seed);
        ObjectNode libs = m.putObject("libraries");
        libs.put("java", System.getProperty("java.version"));
        libs.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        for (String lib : new String[]{"deeplearning4j", "commons-math3", "jtransforms"}) {
            libs.put(lib, Versions.library(lib));
        }
        byte[] manifest = JSON.writeValueAsBytes(m);
        StringBuilder sums = new StringBuilder();
        sums.append(Fingerprint.of(manifest)).append("  ").append(MANIFEST).append('\n');
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            sums.append(Fingerprint.of(e.getValue())).append("  ").append(e.getKey()).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".bundle", ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, MANIFEST, manifest);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
            put(zip, CHECKSUMS, sums.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return m;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(0); // reproducible archives
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Reads and verifies a bundle. */
    public static Bundle read(Path file) throws IOException {
        Map<String, byte[]> entries = entries(file);
        byte[] sums = entries.get(CHECKSUMS);
        if (sums == null || !entries.containsKey(MANIFEST)) {
            throw new BundleException(file, "not a Vigil model bundle (no manifest.json or checksums.sha256)");
        }
        for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            byte[] content = entries.get(parts.length == 2 ? parts[1].trim() : "");
            if (parts.length != 2 || content == null) {
                throw new BundleException(file, "checksums.sha256 names a missing entry: " + line.trim());
            }
            if (!Fingerprint.of(content).equalsIgnoreCase(parts[0])) {
                throw new BundleException(file, "checksum mismatch for " + parts[1].trim()
                        + ": the bundle was modified or corrupted");
            }
        }
        JsonNode m = JSON.readTree(entries.get(MANIFEST));
        if (!FORMAT.equals(m.path("format").asText())) {
            throw new BundleException(file, "manifest.json is not a " + FORMAT);
        }
        int version = m.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new BundleException(file, "bundle format version " + version + " is not supported by Vigil "
                    + VIGIL_VERSION + " (it reads version " + FORMAT_VERSION + ")");
        }
        try {
            FeatureSpec spec = JSON.treeToValue(m.get("input"), FeatureSpec.class);
            List<FeatureDef> features = Arrays.asList(JSON.treeToValue(m.get("features"), FeatureDef[].class));
            List<String> numeric = Arrays.asList(JSON.treeToValue(m.path("context").get("numeric"), String[].class));
            List<String> categorical = Arrays.asList(JSON.treeToValue(m.path("context").get("categorical"), String[].class));
            Preprocessor pre = JSON.treeToValue(m.get("normaliser"), BundleState.Normaliser.class).live();
            Calibration cal = JSON.treeToValue(m.get("calibration"), BundleState.Levels.class).live();
            IsoZone.MachineClass iso = m.hasNonNull("isoClass") ? IsoZone.MachineClass.parse(m.get("isoClass").asText()) : null;
            JsonNode det = m.get("detector");
            DetectorKind kind;
            try {
                kind = DetectorKind.parse(det.path("name").asText());
            } catch (IllegalArgumentException e) {
                throw new BundleException(file, "unknown detector '" + det.path("name").asText() + "'");
            }
            Detector detector = switch (kind) {
                case PCA -> JSON.treeToValue(det.get("pca"), BundleState.Pca.class).live();
                case AUTOENCODER -> {
                    byte[] net = entries.get(det.path("file").asText());
                    if (net == null) {
                        throw new BundleException(file, "detector file " + det.path("file").asText() + " is missing");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> hyper = JSON.treeToValue(det.get("hyperParameters"), Map.class);
                    yield AutoencoderDetector.load(net, det.path("features").asInt(), det.path("contextWidth").asInt(),
                            det.path("errorRef").asDouble(), hyper);
                }
                case SEQUENCE_AUTOENCODER -> {
                    byte[] net = entries.get(det.path("file").asText());
                    if (net == null) {
                        throw new BundleException(file, "detector file " + det.path("file").asText() + " is missing");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> hyper = JSON.treeToValue(det.get("hyperParameters"), Map.class);
                    yield SequenceAutoencoderDetector.load(net, det.path("features").asInt(), det.path("contextWidth").asInt(),
                            det.path("sequenceLength").asInt(), det.path("errorRef").asDouble(), hyper);
                }
            };
            for (FeatureSpec.ChannelUse c : spec.isWaveform() ? spec.channels() : List.<FeatureSpec.ChannelUse>of()) {
                // channel names become file names of recordings: the same rule as machine ids, and no leading dot
                if (c.name() == null || !c.name().matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")) {
                    throw new BundleException(file, "channel name '" + c.name() + "' is not allowed (letters, digits, "
                            + "'.', '_', '-', at most 64, not starting with '.')");
                }
            }
            if (pre.features() != features.size()) {
                throw new BundleException(file, "normaliser has " + pre.features() + " features, schema " + features.size());
            }
            return new Bundle(new Model(spec, features, numeric, categorical, pre, detector, cal, iso), m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new BundleException(file, "manifest.json is incomplete or invalid: " + e.getMessage().split("\n")[0]);
        }
    }

    /** A bundle has a handful of entries; a network is tens of MB: far above, it is not a bundle but an attack. */
    static final int MAX_ENTRIES = 64;
    static final long MAX_ENTRY_BYTES = 64L << 20;
    static final long MAX_TOTAL_BYTES = 128L << 20;

    private static Map<String, byte[]> entries(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, "bundle not found");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            byte[] buf = new byte[1 << 16];
            while ((e = zip.getNextEntry()) != null) {
                if (entries.size() == MAX_ENTRIES) {
                    throw new BundleException(file, "more than " + MAX_ENTRIES + " entries: not a model bundle");
                }
                if (entries.containsKey(e.getName())) {
                    throw new BundleException(file, "entry " + e.getName() + " appears twice");
                }
                // decompressed sizes are counted as they come, never trusted from the header: a small zip can
                // declare little and inflate to gigabytes
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                long size = 0;
                for (int n; (n = zip.read(buf)) > 0; ) {
                    size += n;
                    total += n;
                    if (size > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES) {
                        throw new BundleException(file, "entry " + e.getName() + " decompresses to more than "
                                + (size > MAX_ENTRY_BYTES ? MAX_ENTRY_BYTES >> 20 : MAX_TOTAL_BYTES >> 20)
                                + " MB" + (size > MAX_ENTRY_BYTES ? "" : " with the entries before it")
                                + ": not a model bundle");
                    }
                    bytes.write(buf, 0, n);
                }
                entries.put(e.getName(), bytes.toByteArray());
            }
        } catch (java.util.zip.ZipException e) {
            throw new BundleException(file, "not a zip archive (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new BundleException(file, "the archive ends early: truncated or damaged (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            // ZipInputStream's way of saying an entry name is not valid UTF-8
            throw new BundleException(file, "damaged archive: " + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new BundleException(file, "not a zip archive, or an empty one");
        }
        return entries;
    }

    /** Names of the bundle's entries, for inspection. */
    public static List<String> entryNames(Path file) throws IOException {
        return new ArrayList<>(entries(file).keySet());
    }
}
