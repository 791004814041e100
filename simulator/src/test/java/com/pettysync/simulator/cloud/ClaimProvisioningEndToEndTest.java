package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.provision.ClaimProvisioning;
import com.pettysync.agent.provision.PermanentIdentity;
import com.pettysync.cli.Pettysync;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.provisioning.cli.ProvisioningCommands;
import com.pettysync.simulator.cloud.control.IotClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/**
 * Fleet provisioning by claim, end to end on one machine: {@code pettysync provision claim-template} sets up the
 * claim policy, the provisioning template and a claim certificate through the control plane (real HTTPS, real
 * SigV4); the collar's own code ({@link ClaimProvisioning}, Paho MQTT 5 over mutual TLS with the claim
 * certificate) makes its key, has it certified, registers itself with the template and commits its permanent
 * identity; then it connects as its thing. The claim certificate itself can do nothing but provision.
 */
class ClaimProvisioningEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCollarWithTheClaimBundleProvisionsItselfAndConnectsAsItsThing() throws Exception {
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start();
                IotClient iot = IotClients.of(cloud)) {
            Path claimDir = dir.resolve("claim");
            System.setProperty("aws.accessKeyId", cloud.controlPlaneCredentials().accessKeyId());
            System.setProperty("aws.secretAccessKey", cloud.controlPlaneCredentials().secretAccessKey());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit;
            try {
                exit = Pettysync.execute(new String[] {"provision", "claim-template", "--out", claimDir.toString(),
                        "--endpoint-url", cloud.controlPlaneEndpoint().toString(), "--ca-bundle",
                        cloud.caFile().toString(), "--rate-scale", "0"}, List.of(new ProvisioningCommands()),
                        new PrintWriter(out, true), new PrintWriter(err, true));
            } finally {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
            assertEquals(0, exit, err.toString());
            assertTrue(out.toString().contains("claim provisioning ready"), out.toString());

            // on the collar: the claim bundle plus what only the collar knows (its serial, where its data goes)
            Path config = claimDir.resolve("agent.json");
            ObjectNode agent = (ObjectNode) JSON.readTree(config.toFile());
            agent.put("dataDirectory", dir.resolve("data").toString());
            ((ObjectNode) agent.get("identity").get("claim").get("parameters")).put("SerialNumber", "C0001")
                    .put("HardwareRevision", "C2");
            Files.writeString(config, JSON.writeValueAsString(agent));
            AgentConfig claimConfig = new AgentConfigParser().parse(config);
            assertTrue(claimConfig.isClaim());

            ClaimProvisioning provisioning = ClaimProvisioning.overMqtt(claimConfig, config, Clock.systemUTC(),
                    s -> { });
            PermanentIdentity identity = CompletableFuture.supplyAsync(() -> {
                try {
                    return provisioning.provision(claimConfig.claim());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(90, TimeUnit.SECONDS);

            assertEquals("collar-C0001", identity.thingName());
            var thing = iot.describeThing(b -> b.thingName("collar-C0001"));
            assertEquals(FleetNames.STANDARD.thingType(), thing.thingTypeName());
            assertEquals("C2", thing.attributes().get("hardwareRevision"));
            List<String> principals = iot.listThingPrincipals(b -> b.thingName("collar-C0001")).principals();
            assertEquals(1, principals.size());
            String certificateId = com.pettysync.provisioning.factory.CollarRegistrar.certificateIdOf(principals.get(0));
            assertEquals(CertificateStatus.ACTIVE, iot.describeCertificate(b -> b.certificateId(certificateId))
                    .certificateDescription().status());
            assertEquals(List.of(FleetNames.STANDARD.collarPolicy()), iot.listAttachedPolicies(b -> b.target(
                    principals.get(0))).policies().stream().map(p -> p.policyName()).toList());

            AgentConfig permanent = new AgentConfigParser().parse(config);
            assertFalse(permanent.isClaim(), "the configuration now holds the permanent identity");
            assertEquals("collar-C0001", permanent.thingName());
            IssuedCredential collar = new IssuedCredential(PemFiles.readCertificates(identity.certificate()).get(0),
                    PemFiles.readPrivateKey(identity.privateKey()), cloud.certificateAuthority().certificate());
            try (MqttTestClient c = MqttTestClient.of(cloud, "collar-C0001", collar)) {
                c.connect();
                Mqtt5PubAckReasonCode code = c.publish("pettysync/v1/collar-C0001/events", new byte[] {1});
                assertTrue(code == Mqtt5PubAckReasonCode.SUCCESS
                        || code == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, String.valueOf(code));
            }
            // the claim certificate provisions and nothing else
            IssuedCredential claim = new IssuedCredential(PemFiles.readCertificates(claimDir.resolve(
                    "claim-certificate.pem")).get(0), PemFiles.readPrivateKey(claimDir.resolve(
                            "claim-private-key.pem")), cloud.certificateAuthority().certificate());
            try (MqttTestClient c = MqttTestClient.of(cloud, "claim-probe", claim)) {
                c.connect();
                assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, c.publish("pettysync/v1/collar-C0001/telemetry",
                        new byte[] {1}));
            }
        }
    }
}
