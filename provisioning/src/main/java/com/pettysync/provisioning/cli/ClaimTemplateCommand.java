package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.fleet.ClaimPolicy;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.contract.fleet.ProvisioningTemplateBody;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.provisioning.factory.BundleFiles;
import com.pettysync.provisioning.factory.FleetSetup;
import com.pettysync.provisioning.factory.PolicyPublisher;
import com.pettysync.provisioning.factory.RateLimits;
import com.pettysync.provisioning.factory.RootCa;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * {@code provision claim-template}: everything fleet provisioning by claim needs in the account, and the claim
 * bundle the factory flashes onto every collar of a line.
 */
@Command(name = "claim-template", mixinStandardHelpOptions = true,
        description = {"Set up fleet provisioning by claim: the thing type, thing group and collar policy, the claim "
                + "policy (only the provisioning topics), the provisioning template (thing collar-<SerialNumber>, "
                + "type, group and attributes from its parameters), and a claim certificate with the claim policy.",
                "Writes DIR/claim-certificate.pem, claim-private-key.pem (0600), root-ca.pem and agent.json (an "
                        + "agent config with identity.claim: the collar provisions itself on its first start)."})
final class ClaimTemplateCommand extends ControlPlaneCommand {
    static final String CLAIM_CERTIFICATE = "claim-certificate.pem";
    static final String CLAIM_KEY = "claim-private-key.pem";

    @Option(names = "--name", paramLabel = "NAME", description = "template name (default: pettysync-collar-claim)")
    String name = FleetNames.STANDARD.provisioningTemplate();

    @Option(names = "--role-arn", paramLabel = "ARN", description = "IAM role AWS IoT provisions with (default: "
            + "arn:aws:iam::ACCOUNT:role/pettysync-provisioning, the CloudFormation stack's)")
    String roleArn;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the claim bundle goes")
    Path out;

    @Option(names = "--root-ca", paramLabel = "PEM", description = "root CA for the bundle (default: the "
            + "--ca-bundle of a custom endpoint, else Amazon Root CA 1)")
    Path rootCa;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "the agent's data directory in agent.json "
            + "(default: /var/lib/pettysync)")
    String dataDirectory = "/var/lib/pettysync";

    @Override
    int execute() throws Exception {
        FleetNames names;
        try {
            names = new FleetNames(FleetNames.STANDARD.thingType(), FleetNames.STANDARD.collarPolicy(),
                    FleetNames.STANDARD.claimPolicy(), name, FleetNames.STANDARD.defaultThingGroup());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--name: " + e.getMessage(), e);
        }
        String rootPem = rootCaPem();
        try (IotClient iot = controlPlane.client(2, List.of())) {
            RateLimits limits = controlPlane.limits();
            String region = controlPlane.signingRegion();
            String typeArn = FleetSetup.ensureThingType(iot, limits, names.thingType(), CollarAttribute.searchable(),
                    steps());
            String account = FleetSetup.accountOf(typeArn);
            FleetSetup.ensureThingGroup(iot, limits, names.defaultThingGroup(), steps());
            PolicyPublisher policies = new PolicyPublisher(iot, limits);
            PolicyPublisher.Outcome collar = policies.publish(names.collarPolicy(),
                    IotPolicy.forCollars(region, account, RuleName.DEFAULT).json());
            steps().step("fleet", "policy " + names.collarPolicy() + ": " + FleetSetup.describe(collar));
            PolicyPublisher.Outcome claim = policies.publish(names.claimPolicy(),
                    ClaimPolicy.forFleet(region, account, names).json());
            steps().step("fleet", "claim policy " + names.claimPolicy() + ": " + FleetSetup.describe(claim));
            String body = ProvisioningTemplateBody.forFleet(names).json();
            String role = roleArn != null ? roleArn : "arn:aws:iam::" + account + ":role/pettysync-provisioning";
            String templateState;
            try {
                iot.createProvisioningTemplate(r -> r.templateName(name).templateBody(body).enabled(true)
                        .provisioningRoleArn(role).description("PettySync collars: provisioning by claim"));
                templateState = "created";
            } catch (ResourceAlreadyExistsException e) {
                String existing = iot.describeProvisioningTemplate(r -> r.templateName(name)).templateBody();
                if (!PolicyPublisher.sameJson(existing, body)) {
                    err().println(spec.qualifiedName() + ": template " + name + " exists with another body; "
                            + "delete it or choose another --name");
                    return Pettysync.EXIT_FAILED;
                }
                templateState = "unchanged";
            }
            steps().step("fleet", "provisioning template " + name + " " + templateState);
            KeyPair keys = p256();
            var created = iot.createCertificateFromCsr(r -> r.certificateSigningRequest(
                    CertificateSigningRequest.create(keys, names.claimPolicy()).pem()).setAsActive(true));
            iot.attachPolicy(r -> r.policyName(names.claimPolicy()).target(created.certificateArn()));
            steps().step("fleet", "claim certificate " + created.certificateId() + " active with policy "
                    + names.claimPolicy());
            String endpoint = iot.describeEndpoint(r -> r.endpointType("iot:Data-ATS")).endpointAddress();
            writeBundle(created.certificatePem(), PemFiles.privateKeyPem(keys.getPrivate()), rootPem, endpoint);
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("templateName", name);
                j.put("template", templateState);
                j.put("claimPolicy", names.claimPolicy());
                j.put("claimCertificateId", created.certificateId());
                j.put("bundle", out.toString());
                printJson(j);
            } else {
                out().println("claim provisioning ready: template " + name + ", claim certificate "
                        + created.certificateId() + ", bundle " + out);
            }
            return 0;
        }
    }

    private String rootCaPem() {
        try {
            return RootCa.forBundle(java.util.Optional.ofNullable(rootCa), controlPlane.target());
        } catch (IOException e) {
            throw new BadInputException("--root-ca: " + e.getMessage(), e);
        }
    }

    private void writeBundle(String certificatePem, String keyPem, String rootPem, String endpoint) throws IOException {
        var ep = com.pettysync.provisioning.factory.DataEndpoint.parse(endpoint);
        ObjectNode agent = JSON.createObjectNode();
        agent.put("endpoint", ep.host());
        agent.put("port", ep.port());
        agent.put("caCertificate", "root-ca.pem");
        agent.put("dataDirectory", dataDirectory);
        ObjectNode c = agent.putObject("identity").putObject("claim");
        c.put("certificate", CLAIM_CERTIFICATE);
        c.put("privateKey", CLAIM_KEY);
        c.put("templateName", name);
        c.putObject("parameters").put("SerialNumber", "SET-ON-THE-COLLAR");
        Files.createDirectories(out);
        Path partial = Files.createTempDirectory(out, ".claim");
        BundleFiles fs = BundleFiles.DISK;
        fs.write(partial.resolve(CLAIM_CERTIFICATE), certificatePem.getBytes(StandardCharsets.UTF_8), false);
        fs.write(partial.resolve(CLAIM_KEY), keyPem.getBytes(StandardCharsets.UTF_8), true);
        fs.write(partial.resolve("root-ca.pem"), rootPem.getBytes(StandardCharsets.UTF_8), false);
        fs.write(partial.resolve("agent.json"), (JSON.writeValueAsString(agent) + "\n")
                .getBytes(StandardCharsets.UTF_8), false);
        fs.syncDirectory(partial);
        for (String f : List.of(CLAIM_CERTIFICATE, CLAIM_KEY, "root-ca.pem", "agent.json")) {
            Files.move(partial.resolve(f), out.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        Files.delete(partial);
        fs.syncDirectory(out);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
