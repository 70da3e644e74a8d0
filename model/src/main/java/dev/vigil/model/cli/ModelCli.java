package dev.vigil.model.cli;

import dev.vigil.cli.VigilVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the model commands; the {@code vigil} launcher dispatches here. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        description = "Vigil model tools: train, score, evaluate, inspect and compare anomaly-detection bundles.",
        subcommands = {TrainCommand.class, ScoreCommand.class, EvaluateCommand.class, InspectCommand.class,
                CompareCommand.class, EvalRealDataCommand.class})
public final class ModelCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Bad input is one clear line on stderr and exit code 2, never a stack trace. */
    public static CommandLine commandLine() {
        return dev.vigil.cli.CliErrors.install(new CommandLine(new ModelCli()));
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
