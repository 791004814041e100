package com.pettysync.provisioning.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pettysync provision}: the factory's and operations' commands for collar identities in AWS IoT. */
@Command(name = "provision", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Collar identities in AWS IoT, through the AWS SDK: the collar policy, one collar, a "
                + "production batch, revocation, fleet provisioning by claim, and the fleet's CloudFormation.",
                "Works against real AWS IoT (default credential chain, --region, --profile) and any control plane "
                        + "given with --endpoint-url (pettysync cloud runs one locally).",
                "Exit: 0 done, 1 failed, 2 bad input."},
        subcommands = {PolicyCommand.class, RegisterCommand.class, BatchCommand.class, RevokeCommand.class,
                DescribeCommand.class, AttributesCommand.class, ClaimTemplateCommand.class,
                CloudFormationCommand.class})
public final class ProvisionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
