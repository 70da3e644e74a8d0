package dev.vigil.cli;

import dev.vigil.domain.Versions;
import picocli.CommandLine;

/** {@code vigil --version}, from the build's recorded version (every command line shares it). */
public final class VigilVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"vigil " + Versions.vigil()};
    }
}
