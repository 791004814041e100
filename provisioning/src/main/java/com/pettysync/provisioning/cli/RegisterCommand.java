package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.InvalidCsrException;
import com.pettysync.provisioning.factory.AttributeRules;
import com.pettysync.provisioning.factory.BundleFiles;
import com.pettysync.provisioning.factory.CollarBundle;
import com.pettysync.provisioning.factory.CollarKeys;
import com.pettysync.provisioning.factory.CollarOrder;
import com.pettysync.provisioning.factory.CollarRegistrar;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.provisioning.factory.FleetSetup;
import com.pettysync.provisioning.factory.KeySource;
import com.pettysync.provisioning.factory.ProvisioningJournal;
import com.pettysync.provisioning.factory.RateLimits;
import com.pettysync.provisioning.factory.RegistrationException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

/** {@code provision register}: one collar, from its CSR (the factory path) or with a key made here (bench). */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = {"Register one collar: CreateThing (type, attributes), CreateCertificateFromCsr, AttachPolicy, "
                + "AttachThingPrincipal, AddThingToThingGroup, DescribeEndpoint (iot:Data-ATS), then write its "
                + "bundle atomically: certificate, key (only with --generate-key, 0600), root CA, agent.json.",
                "A CSR whose key is not EC P-256 or RSA >= 2048, whose subject CN is not the thing, or whose "
                        + "signature does not verify is refused before any AWS call. Idempotent: run it again and "
                        + "it finishes what is half done and changes nothing else."})
final class RegisterCommand extends ControlPlaneCommand {
    @Option(names = "--thing", paramLabel = "collar-SERIAL", required = true, description = "the thing name")
    String thingName;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Keys keys;

    static final class Keys {
        @Option(names = "--csr", paramLabel = "FILE", description = "the collar's CSR (PEM); its key stays on the collar")
        Path csr;

        @Option(names = "--generate-key", description = "bench use: generate an EC P-256 key here and put it in the "
                + "bundle")
        boolean generate;
    }

    @Option(names = "--group", paramLabel = "GROUP", description = "thing group to add the collar to (created if "
            + "missing; default: pettysync-fleet)")
    String group = FleetNames.STANDARD.defaultThingGroup();

    @Option(names = "--attribute", paramLabel = "KEY=VALUE", description = "thing attribute (repeatable): hardware "
            + "revision, serial, batch, line, date of manufacture, dog profile reference …")
    Map<String, String> attributes = new LinkedHashMap<>();

    @Mixin
    FactoryOptions factory;

    @Override
    int execute() throws IOException {
        ThingName thing = thing(thingName);
        try {
            AttributeRules.AWS.check(attributes);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--attribute: " + e.getMessage(), e);
        }
        Map<String, String> attrs = new LinkedHashMap<>(attributes);
        thing.serial().ifPresent(s -> attrs.putIfAbsent("serial", s));
        CollarKeys collarKeys;
        KeySource source;
        if (keys.csr != null) {
            try {
                collarKeys = CollarKeys.fromCsrFile(keys.csr, thing);
            } catch (InvalidCsrException e) {
                throw new BadInputException(keys.csr + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + keys.csr + ": " + e.getMessage(), e);
            }
            source = new KeySource.CsrFile(keys.csr);
        } else {
            collarKeys = null;
            source = new KeySource.Generated();
        }
        CollarOrder order = new CollarOrder(thing, source, Optional.ofNullable(group).filter(g -> !g.isEmpty()),
                attrs);
        String rootCa = factory.rootCaPem(controlPlane.target());
        try (IotClient iot = controlPlane.client(2, List.of());
                ProvisioningJournal journal = ProvisioningJournal.open(factory.out)) {
            RateLimits limits = controlPlane.limits();
            FleetSetup fleet = FleetSetup.prepare(iot, limits, factory.thingType, CollarAttribute.searchable(),
                    order.group().stream().toList(), factory.policy, factory.rule(), controlPlane.signingRegion(),
                    rootCa, steps());
            CollarRegistrar registrar = new CollarRegistrar(iot, limits, fleet, journal,
                    new CollarBundle(BundleFiles.DISK), factory.out, factory.dataDirectory, factory.force,
                    Clock.systemUTC());
            registrar.recoverUnrecorded();
            if (collarKeys == null) {
                collarKeys = CollarKeys.generated(factory.out, thing);
            }
            CollarRegistrar.Registration r = registrar.register(order, collarKeys, steps());
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("thing", thing.value());
                j.put("status", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
                j.put("thingArn", r.thingArn());
                j.put("certificateId", r.certificateId());
                j.put("bundle", r.bundle().toString());
                j.putPOJO("replacedCertificates", r.replaced());
                printJson(j);
            } else {
                out().println(thing.value() + ": " + (r.outcome() == CollarRegistrar.Outcome.ALREADY_DONE
                        ? "already provisioned" : "provisioned") + ", certificate " + r.certificateId() + ", bundle "
                        + r.bundle());
            }
            return 0;
        } catch (RegistrationException e) {
            err().println(spec.qualifiedName() + ": " + e.getMessage());
            return Pettysync.EXIT_FAILED;
        }
    }
}
