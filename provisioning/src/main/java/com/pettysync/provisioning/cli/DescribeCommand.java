package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.factory.CollarRegistrar;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

/** {@code provision describe}: a collar's deployment record and identity as the account holds them. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a collar's thing (type, attributes: hardware revision, batch, date of manufacture, dog "
                + "profile …), its certificates with their status, and the policies attached to each.")
final class DescribeCommand extends ControlPlaneCommand {
    @Option(names = "--thing", paramLabel = "collar-SERIAL", required = true, description = "the thing name")
    String thingName;

    @Override
    int execute() {
        ThingName thing = thing(thingName);
        try (IotClient iot = controlPlane.client(2, List.of())) {
            var t = iot.describeThing(r -> r.thingName(thing.value()));
            ObjectNode j = JSON.createObjectNode();
            j.put("thing", t.thingName());
            j.put("thingArn", t.thingArn());
            j.put("thingType", t.thingTypeName());
            j.put("version", t.version());
            ObjectNode attrs = j.putObject("attributes");
            new java.util.TreeMap<>(t.attributes()).forEach(attrs::put);
            ArrayNode certs = j.putArray("certificates");
            for (String principal : iot.listThingPrincipalsPaginator(r -> r.thingName(thing.value())).principals()) {
                ObjectNode c = certs.addObject();
                c.put("arn", principal);
                String id = CollarRegistrar.certificateIdOf(principal);
                if (id != null) {
                    var d = iot.describeCertificate(r -> r.certificateId(id)).certificateDescription();
                    c.put("certificateId", id);
                    c.put("status", d.statusAsString());
                    c.put("created", String.valueOf(d.creationDate()));
                }
                ArrayNode policies = c.putArray("policies");
                iot.listAttachedPoliciesPaginator(r -> r.target(principal)).policies()
                        .forEach(p -> policies.add(p.policyName()));
            }
            if (controlPlane.json) {
                printJson(j);
            } else {
                out().println(t.thingName() + " (" + t.thingArn() + "), type " + t.thingTypeName() + ", version "
                        + t.version());
                new java.util.TreeMap<>(t.attributes()).forEach((k, v) -> out().println("  " + k + " = " + v));
                certs.forEach(c -> out().println("  certificate " + c.path("certificateId").asText(c.path("arn")
                        .asText()) + " " + c.path("status").asText() + ", policies " + c.path("policies")));
            }
            return 0;
        }
    }
}
