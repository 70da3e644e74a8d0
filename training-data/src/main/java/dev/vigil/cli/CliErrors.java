package dev.vigil.cli;

import picocli.CommandLine;

/**
 * Vigil's rule for every command line: bad input is one clear line on stderr ({@code error: ...}) and exit code
 * 2, never a stack trace. Programming errors still surface as exceptions.
 */
public final class CliErrors {
    private CliErrors() {
    }

    public static CommandLine install(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof IllegalStateException || ex instanceof java.io.UncheckedIOException) {
                String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
                line.getErr().println("error: " + msg.replace("\n", "\nerror: "));
                return 2;
            }
            throw ex;
        });
        return cl;
    }
}
