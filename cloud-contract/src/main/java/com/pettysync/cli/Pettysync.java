package com.pettysync.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code pettysync} command: one launcher for every command of the product.
 *
 * <p>Subcommands are not known here; each module contributes its own through {@link CommandContribution}.
 * Exit codes: 0 success, 1 the command ran and reported a failure (for example {@code validate} of an invalid
 * frame), 2 bad input or usage, 3 an unexpected internal error.
 */
@Command(name = "pettysync", mixinStandardHelpOptions = true, versionProvider = Pettysync.Version.class,
        description = "PettySync collar: agent, diagnostics, wire contract, provisioning and fleet simulation.",
        synopsisSubcommandLabel = "COMMAND")
public final class Pettysync implements Runnable {
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(execute(args, ServiceLoader.load(CommandContribution.class).stream()
                .map(ServiceLoader.Provider::get).toList(), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true)));
    }

    /** Builds the command tree from {@code contributions} and runs {@code args}; returns the exit code. */
    public static int execute(String[] args, List<CommandContribution> contributions, PrintWriter out,
            PrintWriter err) {
        CommandLine root = commandLine(contributions);
        root.setOut(out);
        root.setErr(err);
        return root.execute(args);
    }

    /** The full command tree with exit codes and one-line error reporting configured. */
    public static CommandLine commandLine(List<CommandContribution> contributions) {
        CommandLine root = new CommandLine(new Pettysync());
        List<CommandContribution> ordered = new ArrayList<>(contributions);
        ordered.sort(Comparator.comparingInt((CommandContribution c) -> c.parent().size()));
        for (CommandContribution contribution : ordered) {
            CommandLine parent = root;
            for (String name : contribution.parent()) {
                CommandLine child = parent.getSubcommands().get(name);
                if (child == null) {
                    child = new CommandLine(new Group());
                    child.getCommandSpec().usageMessage().description(contribution.parentDescription());
                    parent.addSubcommand(name, child);
                }
                parent = child;
            }
            for (Object command : contribution.commands()) {
                CommandLine sub = command instanceof CommandLine cl ? cl : new CommandLine(command);
                parent.addSubcommand(sub);
            }
        }
        root.setExitCodeExceptionMapper(e -> e instanceof BadInputException ? EXIT_BAD_INPUT : EXIT_INTERNAL);
        root.setExecutionExceptionHandler((e, cl, parseResult) -> {
            if (e instanceof BadInputException) {
                cl.getErr().println(cl.getCommandName() + ": " + oneLine(e.getMessage()));
                return EXIT_BAD_INPUT;
            }
            cl.getErr().println(cl.getCommandName() + ": internal error: " + oneLine(String.valueOf(e)));
            return EXIT_INTERNAL;
        });
        root.setParameterExceptionHandler((e, argv) -> {
            CommandLine cl = e.getCommandLine();
            cl.getErr().println(cl.getCommandName() + ": " + oneLine(e.getMessage()));
            cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_BAD_INPUT;
        });
        return root;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** A command that only groups subcommands. */
    @Command(mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND")
    static final class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: choose one of "
                    + String.join(", ", spec.subcommands().keySet()));
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Pettysync.class.getPackage().getImplementationVersion();
            return new String[] {"pettysync " + (v == null ? "development build" : v)};
        }
    }
}
