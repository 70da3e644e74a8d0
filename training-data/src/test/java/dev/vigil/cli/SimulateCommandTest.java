package dev.vigil.cli;

import dev.vigil.format.RecordingReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = DataCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void theDocumentedExampleWritesACompressedRecording(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("rec");
        Path csv = tmp.resolve("agg.csv");
        Result r = run("simulate", "--kind", "cnc", "--faults", "bearing-outer,sensor-spikes:accel_z", "--onset", "40m",
                "--duration", "2h", "--speedup", "1200", "--seed", "7", "--out", out.toString(),
                "--tabular", csv.toString(), "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
        RecordingReader rec = RecordingReader.open(out);
        assertThat(rec.meta().durationS()).isEqualTo(6.0);
        assertThat(rec.labels()).isNotEmpty();
        assertThat(rec.labels().get(0).startS()).isEqualTo(2.0);
        assertThat(rec.meta().simulation().get("speedup").asDouble()).isEqualTo(1200);
        assertThat(Files.readAllLines(csv)).hasSize(7);
    }

    @Test
    void robotWithAJointFault(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("robot");
        Result r = run("simulate", "--kind", "robot", "--faults", "reducer-wear:j5", "--duration", "2s",
                "--out", out.toString(), "--quiet");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(RecordingReader.open(out).labels()).allSatisfy(l -> assertThat(l.channel()).isEqualTo("j5"));
    }

    @Test
    void badInputIsOneClearLineAndExitCode2(@TempDir Path tmp) {
        String out = tmp.resolve("x").toString();
        assertThat(run("simulate", "--faults", "bearing-nope", "--out", out))
                .satisfies(r -> {
                    assertThat(r.exit()).isEqualTo(2);
                    assertThat(r.err()).startsWith("error: unknown fault 'bearing-nope'").doesNotContain("Exception");
                });
        assertThat(run("simulate", "--kind", "robot", "--faults", "tool-wear", "--out", out).err())
                .contains("tool-wear does not apply to a robot machine");
        assertThat(run("simulate", "--duration", "2 fortnights", "--out", out).err()).contains("invalid duration");
        assertThat(run("simulate", "--onset", "3h", "--duration", "2h", "--out", out).err()).contains("--onset");
        assertThat(run("simulate", "--speedup", "0.5", "--out", out).err()).contains("speed-up must be");
        assertThat(run("simulate").err()).contains("Missing required option: '--out=<out>'");
    }
}
