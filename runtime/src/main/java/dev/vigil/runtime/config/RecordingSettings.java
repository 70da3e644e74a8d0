package dev.vigil.runtime.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how much the recorder keeps ({@code recording.*}).
 *
 * @param dir where captures go ({@code <dir>/<machine>/<alert-ID|healthy>-<time>}); the spool lives in
 *            {@code <dir>/.spool}
 * @param before context kept before an alert's first window
 * @param after context recorded after it
 * @param healthyEvery a healthy sample at most this often per machine (zero: none)
 * @param healthyLength its length
 * @param quotaBytes captures are pruned to stay under this
 */
public record RecordingSettings(Path dir, Duration before, Duration after, Duration healthyEvery,
                                Duration healthyLength, long quotaBytes) {
}
