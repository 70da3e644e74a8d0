package dev.vigil.domain;

import dev.vigil.cli.DataCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The versions come from the build, filled in (never the raw placeholder), and the command line prints Vigil's. */
class VersionsTest {
    @Test
    void versionsAreTheBuildsAndTheCommandLinePrintsThem() {
        assertThat(Versions.vigil()).matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
        for (String lib : new String[]{"deeplearning4j", "commons-math3", "jtransforms"}) {
            assertThat(Versions.library(lib)).as(lib).matches("\\d+(\\.\\d+)+(-[A-Za-z0-9.]+)?");
        }
        assertThatThrownBy(() -> Versions.library("left-pad")).hasMessageContaining("no version recorded for left-pad");
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new DataCli());
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("vigil " + Versions.vigil());
    }
}
