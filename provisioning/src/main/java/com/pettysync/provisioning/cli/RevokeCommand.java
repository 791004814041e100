package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.factory.CollarRevocation;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/** {@code provision revoke}: a collar's certificates out of service; the thing too when asked. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Take a collar's identity out of service: each certificate of the thing INACTIVE (REVOKED with "
                + "--revoke) — the cloud closes the collar's open connection and refuses its next CONNECT — then "
                + "detached from its policies and the thing, and deleted; the thing deleted with --delete-thing."})
final class RevokeCommand extends ControlPlaneCommand {
    @Option(names = "--thing", paramLabel = "collar-SERIAL", required = true, description = "the thing name")
    String thingName;

    @Option(names = "--revoke", description = "REVOKED instead of INACTIVE (a compromised key)")
    boolean revoke;

    @Option(names = "--delete-thing", description = "delete the thing as well")
    boolean deleteThing;

    @Override
    int execute() {
        ThingName thing = thing(thingName);
        try (IotClient iot = controlPlane.client(2, List.of())) {
            CollarRevocation.Revoked r = new CollarRevocation(iot, controlPlane.limits()).revoke(thing,
                    revoke ? CertificateStatus.REVOKED : CertificateStatus.INACTIVE, deleteThing, steps());
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("thing", thing.value());
                j.putPOJO("certificates", r.certificates());
                j.put("thingDeleted", r.thingDeleted());
                printJson(j);
            } else {
                out().println(thing.value() + ": " + r.certificates().size() + " certificate(s) revoked"
                        + (r.thingDeleted() ? ", thing deleted" : ""));
            }
            return 0;
        }
    }
}
