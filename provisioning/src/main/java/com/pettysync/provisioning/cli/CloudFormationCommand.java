package com.pettysync.provisioning.cli;

import com.pettysync.provisioning.cloudformation.FleetStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code provision cloudformation}: the fleet's IoT side as a CloudFormation template, from the contract code. */
@Command(name = "cloudformation", mixinStandardHelpOptions = true,
        description = {"Write the CloudFormation template of the fleet's AWS IoT side — collar policy, claim policy, "
                + "thing type, thing group, the Basic Ingest rule to the validator function (parameter "
                + "ValidatorFunctionArn) and its invoke permission, the provisioning template and its IAM role — "
                + "generated from the same contract code as the other provision commands.",
                "Deploy: aws cloudformation deploy --template-file FILE --stack-name pettysync-fleet "
                        + "--capabilities CAPABILITY_IAM --parameter-overrides ValidatorFunctionArn=arn:aws:lambda:…"})
final class CloudFormationCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "where to write the template (JSON)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".cloudformation", ".json");
        Files.writeString(tmp, FleetStack.template() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().println("CloudFormation template written to " + target);
        return 0;
    }
}
