package com.pettysync.provisioning.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.provisioning.aws.ControlPlaneTarget;
import com.pettysync.provisioning.factory.CollarBundle;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.provisioning.factory.RootCa;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What {@code register} and {@code batch} share: the fleet's names, the bundle's root CA and data directory. */
final class FactoryOptions {
    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "output directory: one bundle directory per collar, the journal and the report")
    Path out;

    @Option(names = "--policy", paramLabel = "NAME",
            description = "collar policy to attach (default: pettysync-collar; created if missing)")
    String policy = FleetNames.STANDARD.collarPolicy();

    @Option(names = "--thing-type", paramLabel = "TYPE",
            description = "thing type (default: pettysync-collar; created if missing)")
    String thingType = FleetNames.STANDARD.thingType();

    @Option(names = "--root-ca", paramLabel = "PEM", description = "root CA written into each bundle (default: the "
            + "--ca-bundle of a custom endpoint, else Amazon Root CA 1 from the JDK's trust store)")
    Path rootCa;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = CollarBundle.DEFAULT_DATA_DIRECTORY,
            description = "the agent's data directory written into agent.json (default: the fleet's)")
    String dataDirectory;

    @Option(names = "--force", description = "replace a thing's certificate for another key (the old one is set "
            + "INACTIVE and detached) instead of refusing")
    boolean force;

    RuleName rule() {
        return RuleName.DEFAULT;
    }

    String rootCaPem(ControlPlaneTarget target) {
        try {
            return RootCa.forBundle(Optional.ofNullable(rootCa), target);
        } catch (IOException e) {
            throw new BadInputException("--root-ca: " + e.getMessage(), e);
        }
    }
}
