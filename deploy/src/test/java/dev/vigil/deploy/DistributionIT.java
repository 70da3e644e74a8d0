package dev.vigil.deploy;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.security.Tokens;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Smoke test of the built distribution: unpacked into an empty directory, its own {@code bin/vigil} simulates,
 * trains, validates configurations and serves; the health endpoint answers and a frame sent to it is scored.
 */
@Tag("slow")
class DistributionIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String output) {
    }

    private Run vigil(Path home, Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/vigil").toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "vigil", ".log");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as("vigil %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(log));
    }

    @Test
    void theUnpackedDistributionTrainsValidatesAndServes() throws Exception {
        Path tarball = Path.of(System.getProperty("vigil.distribution"));
        assertThat(tarball).exists();
        Path unpacked = Files.createDirectories(tmp.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path home;
        try (var dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("vigil-");
        assertThat(home.resolve("bin/vigil")).isExecutable();
        assertThat(home.resolve("conf/vigil.yaml")).exists();
        try (var jars = Files.list(home.resolve("lib"))) {
            assertThat(jars.map(j -> j.getFileName().toString()).toList()).anyMatch(j -> j.startsWith("vigil-runtime-"))
                    .anyMatch(j -> j.startsWith("nd4j-native-")).noneMatch(j -> j.contains("junit"));
        }

        // the sample configuration names a bundle that does not exist yet: refused, and the file named
        Run sample = vigil(home, Duration.ofMinutes(2), "serve", "--check-config", home.resolve("conf/vigil.yaml").toString());
        assertThat(sample.exit()).as(sample.output()).isNotZero();
        assertThat(sample.output()).contains("spindle-1.zip").doesNotContain("\tat ");

        Path models = Files.createDirectories(tmp.resolve("models"));
        Run sim = vigil(home, Duration.ofMinutes(3), "simulate", "--kind", "cnc", "--id", "spindle-1", "--duration", "5m",
                "--seed", "3", "--quiet", "--out", tmp.resolve("healthy").toString());
        assertThat(sim.exit()).as(sim.output()).isZero();
        Run train = vigil(home, Duration.ofMinutes(5), "train", "--quiet", "--input", tmp.resolve("healthy").toString(),
                "--out", models.resolve("spindle-1.zip").toString());
        assertThat(train.exit()).as(train.output()).isZero();

        Path conf = Files.writeString(tmp.resolve("smoke.yaml"), """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                scoring: {warmUpSeconds: 2}
                machines: [{id: spindle-1, kind: cnc, model: models/spindle-1.zip}]
                auth:
                  tokens:
                    - {name: gw, role: device, machines: [spindle-1], sha256: %s}
                    - {name: anna, role: engineer, sha256: %s}
                """.formatted(Tokens.sha256("gw-token"), Tokens.sha256("anna-token")));
        Run check = vigil(home, Duration.ofMinutes(2), "serve", "--check-config", conf.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("valid");

        Path log = tmp.resolve("serve.log");
        Process serve = new ProcessBuilder(home.resolve("bin/vigil").toString(), "serve", "--config", conf.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            // the service binds any free port (0) and says which once it serves: no port probed and given back
            Pattern serving = Pattern.compile("vigil serving \\d+ machines on http://127\\.0\\.0\\.1:(\\d+)");
            String base = "http://127.0.0.1:" + await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        Matcher m = serving.matcher(Files.readString(log));
                        return m.find() ? m.group(1) : null;
                    }, Objects::nonNull);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            // eight seconds of the machine, stamped now: windows complete and are scored (the first ones may be
            // judged transient while the spindle settles)
            Iterator<Frame> frames = Simulation.builder(CncSpec.defaults("spindle-1")).lifeDurationS(8).seed(9)
                    .start(Instant.now().minusSeconds(8)).build().frames();
            int windows = 0;
            while (frames.hasNext()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/spindle-1/frames"))
                        .header("Authorization", "Bearer gw-token").header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(FrameCodec.encode(frames.next()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                windows += r.body().split("\"smoothed\"", -1).length - 1;
            }
            assertThat(windows).as("scored windows").isPositive();
            HttpResponse<String> machine = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/machines/spindle-1"))
                    .header("Authorization", "Bearer anna-token").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(machine.body()).contains("\"latest\"");
            Matcher counted = Pattern.compile("\"windows\":(\\d+),").matcher(machine.body());
            assertThat(counted.find()).as(machine.body()).isTrue();
            // eight seconds make at most eight windows: the warm-up's hundreds are nobody's
            assertThat(Integer.parseInt(counted.group(1))).isBetween(windows, 8);
            // before the port opened, the model scored synthetic windows of its own training context (the JIT's
            // warm-up), which no machine counts
            Matcher warm = Pattern.compile("scoring warmed up before taking data: (\\d+) windows \\((\\d+) scored\\)")
                    .matcher(Files.readString(log));
            assertThat(warm.find()).as(Files.readString(log)).isTrue();
            assertThat(Long.parseLong(warm.group(2))).isPositive();
            // and the dashboard is there
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("app.js");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("vigil serving 1 machines");
        assertThat(tmp.resolve("data/vigil.db")).exists();
    }
}
