package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point for the training-data commands; the {@code vigil} launcher dispatches here. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        description = "Vigil training-data tools: fleet simulator and sample data.",
        subcommands = {SimulateCommand.class, MakeSamplesCommand.class})
public final class DataCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with Vigil's error handling: one clear line and exit code 2 for bad input. */
    public static CommandLine commandLine() {
        return dev.vigil.cli.CliErrors.install(new CommandLine(new DataCli()));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
