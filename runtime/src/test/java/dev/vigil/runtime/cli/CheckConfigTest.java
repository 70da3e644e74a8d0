package dev.vigil.runtime.cli;

import dev.vigil.cli.CliErrors;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vigil serve --check-config} lists every problem in one run: structural ones (a port out of range, a token
 * for an unknown machine) beside the ones the service would only meet at start (a bundle missing, a bundle that is
 * not a zip, a store folder under a file), each with its key; a valid file is "valid".
 */
class CheckConfigTest {
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run vigil(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = CliErrors.install(new CommandLine(new RuntimeCli()));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    @Test
    void everyProblemStructuralAndSemanticIsListedInOneRun() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("good.zip"));
        Files.writeString(tmp.resolve("corrupt.zip"), "this is not a zip");
        Files.writeString(tmp.resolve("afile"), "a file where the store's folder should be");
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                http: {host: 127.0.0.1, port: 99999}
                storage: {path: afile/data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: m-missing, model: missing.zip}
                  - {id: m-corrupt, model: corrupt.zip}
                  - {id: m-good, model: good.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", "m-good", "m-gone"));
        Run bad = vigil("serve", "--check-config", yaml.toString());
        assertThat(bad.exit()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).contains("5 problems",
                "http.port", "99999",
                "auth.tokens[0].machines: unknown machine 'm-gone'",
                "machines[0].model: " + tmp.resolve("missing.zip") + ": no such bundle",
                "machines[1].model: " + tmp.resolve("corrupt.zip") + ": not a readable model bundle",
                "storage.path: ").doesNotContain("\tat ", "machines[2]");
        assertThat(bad.out()).doesNotContain("valid");

        Files.writeString(yaml, """
                http: {host: 127.0.0.1, port: 0}
                storage: {path: data/vigil.db}
                recording: {enabled: false}
                machines:
                  - {id: m-good, model: good.zip}
                auth: {disabled: true}
                """);
        Run good = vigil("serve", "--check-config", yaml.toString());
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out()).contains("valid (1 machines");
    }
}
