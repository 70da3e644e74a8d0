package dev.vigil.runtime.cli;

import dev.vigil.cli.CliErrors;
import dev.vigil.cli.VigilVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the runtime commands; the {@code vigil} launcher dispatches here. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilVersion.class,
        description = "Vigil runtime.", subcommands = {DemoCommand.class, ServeCommand.class, TokenCommand.class, ExportLabelsCommand.class, LoadgenCommand.class,
        ReferenceSchedulerCommand.class})
public final class RuntimeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // the model module's jar carries the CLI tools' quiet logback.xml; the service logs more, to stdout
        if (System.getProperty("logback.configurationFile") == null) {
            // the demo logs to a file and keeps its console for the banner
            System.setProperty("logback.configurationFile",
                    args.length > 0 && args[0].equals("demo") ? "logback-demo.xml" : "logback-runtime.xml");
        }
        System.exit(CliErrors.install(new CommandLine(new RuntimeCli())).execute(args));
    }
}
