package dev.vigil.model.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI contract on tabular data, and one clear line for every kind of bad input. */
@Tag("slow")
class ModelCliTest {
    @TempDir
    static Path tmp;
    static Path train;
    static Path test;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err2, true, StandardCharsets.UTF_8));
        try {
            // built after the swap: picocli binds its writers to System.out/err when it is constructed
            CommandLine cl = ModelCli.commandLine();
            int exit = cl.execute(args);
            cl.getErr().flush();
            cl.getOut().flush();
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err2.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** A historian export: two correlated sensors that follow a set point, a text column, labels. */
    static Path csv(Path file, int rows, long seed, int faultFrom) throws Exception {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder("timestamp;\"Set Point\";\"Motor Current (A)\";\"Bearing Temp (C)\";operator;label\r\n");
        for (int i = 0; i < rows; i++) {
            int setPoint = (i / 50) % 3;
            double current = 10 + 5 * setPoint + 0.2 * r.nextGaussian();
            double temp = 40 + 2 * setPoint + 0.1 * r.nextGaussian();
            boolean fault = faultFrom >= 0 && i >= faultFrom;
            if (fault) {
                temp += 0.05 * (i - faultFrom);
            }
            sb.append(String.format(Locale.ROOT, "2026-03-01 08:%02d:%02d;%d;%s;%s;%s;%d\r\n", (i / 60) % 60, i % 60, setPoint,
                    String.format(Locale.ROOT, "%.3f", current).replace('.', ','),
                    String.format(Locale.ROOT, "%.3f", temp).replace('.', ','), i % 2 == 0 ? "anna" : "ben", fault ? 1 : 0));
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    @BeforeAll
    static void data() throws Exception {
        train = csv(tmp.resolve("train.csv"), 1500, 1, -1);
        test = csv(tmp.resolve("test.csv"), 900, 2, 500);
    }

    @Test
    void trainScoreEvaluateInspectCompareOnACsv() throws Exception {
        Path model = tmp.resolve("m.zip");
        Run t = run("train", "--input", train.toString(), "--out", model.toString(), "--context", "Set Point",
                "--label", "label", "--quiet");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("features", "thresholds", "context: Set Point", "sequence-autoencoder");
        assertThat(t.err()).contains("non-numeric columns skipped").contains("operator");

        Path predictions = tmp.resolve("p.csv");
        Run s = run("score", "--model", model.toString(), "--input", test.toString(), "--out", predictions.toString());
        assertThat(s.exit()).as(s.err()).isZero();
        List<String> lines = Files.readAllLines(predictions);
        assertThat(lines.get(0)).isEqualTo("timestamp,score,threshold,anomaly,top_contributor,notes");
        assertThat(lines).hasSize(901);
        assertThat(lines.get(1)).as("the first row is scored at once").matches("2026-03-01T08:00:00Z,[0-9.e+-]+,[0-9.e+-]+,0,.+");
        long alarmsBefore = lines.subList(1, 480).stream().filter(l -> l.split(",")[3].equals("1")).count();
        long alarmsAfter = lines.subList(700, 901).stream().filter(l -> l.split(",")[3].equals("1")).count();
        assertThat(alarmsBefore).isZero();
        assertThat(alarmsAfter).isGreaterThan(150);
        assertThat(lines.get(850)).contains("Bearing Temp (C)");

        Path report = tmp.resolve("r.html");
        Run e = run("evaluate", "--model", model.toString(), "--input", test.toString(), "--label", "label", "--report",
                report.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(e.out());
        assertThat(json.path("events").path("recall").asDouble()).isEqualTo(1.0);
        assertThat(json.path("events").path("falseAlarms").asInt()).isZero();
        assertThat(json.path("pointwise").path("precision").asDouble()).isEqualTo(1.0);
        assertThat(json.path("nab").asDouble()).isGreaterThan(50);
        String html = Files.readString(report);
        assertThat(html).contains("<svg", "event recall", "What drove the alarms").doesNotContain("<script", "http://cdn");

        Run i = run("inspect", model.toString());
        assertThat(i.exit()).isZero();
        assertThat(i.out()).contains("tabular, window 10 rows", "Motor Current (A)", "sha256");

        Path pca = tmp.resolve("pca.zip");
        assertThat(run("train", "--input", train.toString(), "--out", pca.toString(), "--context", "Set Point",
                "--label", "label", "--detector", "pca", "--quiet").exit()).isZero();
        Run pe = run("evaluate", "--model", pca.toString(), "--input", test.toString(), "--label", "label");
        assertThat(new ObjectMapper().readTree(pe.out()).path("events").path("recall").asDouble()).isEqualTo(1.0);
        Run c = run("compare", model.toString(), pca.toString(), "--input", test.toString(), "--label", "label");
        assertThat(c.exit()).as(c.err()).isZero();
        assertThat(c.out()).containsAnyOf("better: ", "no difference");
    }

    private static void assertOneLineError(Run r, String... fragments) {
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(fragments).doesNotContain("Exception", "\tat ");
    }

    @Test
    void dataQualityWarningsNameColumnsAndRows() throws Exception {
        StringBuilder sb = new StringBuilder("time,temp,counter,stuck,mode\n");
        Random r = new Random(5);
        for (int i = 0; i < 400; i++) {
            int second = i == 200 ? 199 : i == 300 ? 250 : i >= 350 ? i + 600 : i; // duplicate, backwards, gap
            sb.append(String.format(Locale.ROOT, "2026-01-01T00:%02d:%02dZ,%.3f,%d,%s,%d\n", second / 60, second % 60,
                    20 + r.nextGaussian(), i, i >= 100 && i < 200 ? "7.5" : String.format(Locale.ROOT, "%.3f", r.nextGaussian()),
                    (i / 40) % 3));
        }
        Path file = Files.writeString(tmp.resolve("quality.csv"), sb.toString());
        Run t = run("train", "--input", file.toString(), "--out", tmp.resolve("q.zip").toString(), "--quiet");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.err()).contains("column 'stuck', rows from line 102 (100 rows): value stuck")
                .contains("column 'counter': a counter", "left out")
                .contains("duplicate timestamps", "go backwards", "gaps longer than")
                .contains("column 'mode': holds a handful of levels", "treated as operating context");
        Run i = run("inspect", tmp.resolve("q.zip").toString());
        assertThat(i.out()).contains("value stuck at one reading").contains("false alarms  about 1.00 per week");
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path out = tmp.resolve("bad.zip");
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        assertOneLineError(run("train", "--input", empty.toString(), "--out", out.toString()), "empty.csv", "empty file");

        assertOneLineError(run("train", "--input", train.toString(), "--out", out.toString(), "--separator", ","),
                "wrong --separator");

        StringBuilder bad = new StringBuilder("time,a,b\n");
        for (int i = 0; i < 100; i++) {
            bad.append(String.format(Locale.ROOT, "2026-01-01T00:00:%02dZ,%d,%s\n", i % 60, i % 7, i == 60 ? "oops" : "1." + i));
        }
        Path nonNumeric = Files.writeString(tmp.resolve("nonnumeric.csv"), bad.toString());
        assertOneLineError(run("train", "--input", nonNumeric.toString(), "--out", out.toString()),
                "nonnumeric.csv:62:3", "column 'b'", "oops");

        StringBuilder flat = new StringBuilder("a,b\n");
        for (int i = 0; i < 100; i++) {
            flat.append(i % 13).append(",5\n");
        }
        Path constant = Files.writeString(tmp.resolve("constant.csv"), flat.toString());
        // an unused axis is normal in a controller export: left out with one named warning, not an error
        Run flatRun = run("train", "--input", constant.toString(), "--out", tmp.resolve("flat.zip").toString(), "--quiet");
        assertThat(flatRun.exit()).as(flatRun.err()).isZero();
        assertThat(flatRun.out() + flatRun.err()).contains("column 'b'").contains("constant (every value is 5)")
                .contains("left out");

        Path tiny = Files.writeString(tmp.resolve("tiny.csv"), "a,b\n1,2\n2,3\n");
        assertOneLineError(run("train", "--input", tiny.toString(), "--out", out.toString()), "too");

        Path notBundle = Files.writeString(tmp.resolve("fake.zip"), "PK nonsense");
        assertOneLineError(run("score", "--model", notBundle.toString(), "--input", train.toString(), "--out",
                tmp.resolve("x.csv").toString()), "fake.zip");

        assertOneLineError(run("train", "--input", train.toString(), "--out", out.toString(), "--context", "nope"),
                "--context column 'nope'");

        Path model = tmp.resolve("m2.zip");
        assertThat(run("train", "--input", train.toString(), "--out", model.toString(), "--context", "Set Point",
                "--quiet").exit()).isZero();
        Path missing = Files.writeString(tmp.resolve("missing.csv"), "timestamp;\"Set Point\";other\n2026-01-01 00:00:00;1;2\n");
        assertOneLineError(run("score", "--model", model.toString(), "--input", missing.toString(), "--out",
                tmp.resolve("y.csv").toString()), "Motor Current (A)", "missing");
    }
}
