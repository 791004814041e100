package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.provisioning.factory.FleetSetup;
import com.pettysync.provisioning.factory.PolicyPublisher;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

/** {@code provision policy}: the collar policy, created or given a new default version when it changed. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Create the collar IoT policy from the wire contract (CreatePolicy), or, when it exists and "
                + "differs, make the contract's document its new default version (CreatePolicyVersion, deleting the "
                + "oldest non-default version at AWS's limit of 5). Idempotent.",
                "Also makes sure the thing type exists (its ARN gives the account id the policy's ARNs need)."})
final class PolicyCommand extends ControlPlaneCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "policy name (default: pettysync-collar)")
    String name = FleetNames.STANDARD.collarPolicy();

    @Option(names = "--rule", paramLabel = "RULE", description = "Basic Ingest rule the policy allows "
            + "(default: the contract's)")
    String rule;

    @Override
    int execute() {
        RuleName ruleName = rule == null ? RuleName.DEFAULT : RuleName.of(rule);
        try (IotClient iot = controlPlane.client(2, List.of())) {
            var limits = controlPlane.limits();
            String typeArn = FleetSetup.ensureThingType(iot, limits, FleetNames.STANDARD.thingType(),
                    CollarAttribute.searchable(), steps());
            String document = IotPolicy.forCollars(controlPlane.signingRegion(), FleetSetup.accountOf(typeArn),
                    ruleName).json();
            PolicyPublisher.Outcome o = new PolicyPublisher(iot, limits).publish(name, document);
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("policyName", o.name());
                j.put("policyArn", o.arn());
                j.put("change", o.change().name().toLowerCase(java.util.Locale.ROOT));
                j.put("defaultVersionId", o.defaultVersionId());
                j.put("prunedVersionId", o.prunedVersionId().orElse(null));
                printJson(j);
            } else {
                out().println("policy " + name + ": " + FleetSetup.describe(o));
            }
            return 0;
        }
    }
}
