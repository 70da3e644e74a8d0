package dev.vigil.model.data;

import dev.vigil.format.DatasetFormatException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tells recordings from tabular files. */
public final class Inputs {
    private Inputs() {
    }

    public static boolean isRecording(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve("meta.json"));
    }

    /** All waveform recordings, or all tabular files: mixing the two in one model is refused. */
    public static boolean allRecordings(List<Path> inputs) throws DatasetFormatException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input given");
        }
        int recordings = 0;
        for (Path p : inputs) {
            if (isRecording(p)) {
                recordings++;
            } else if (Files.isDirectory(p)) {
                throw new DatasetFormatException(p, "a directory without meta.json is not a recording");
            } else if (!Files.isRegularFile(p)) {
                throw new DatasetFormatException(p, "input not found");
            }
        }
        if (recordings != 0 && recordings != inputs.size()) {
            throw new IllegalArgumentException("inputs mix waveform recordings and tabular files; train one model per kind");
        }
        return recordings > 0;
    }
}
