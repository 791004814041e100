package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.pettysync.cli.Pettysync;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.provisioning.cli.ProvisioningCommands;
import com.pettysync.provisioning.factory.CollarBundle;
import com.pettysync.provisioning.factory.CollarRegistrar;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.simulator.cloud.control.IotClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/**
 * A factory engineer's commands ({@code pettysync provision …}) against the local IoT Core's control plane: real
 * HTTPS, real SigV4 (the SDK's default credential chain, here its system properties), real MQTT for what the
 * collars do with the bundles afterwards.
 */
class FactoryProvisioningTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static LocalIotCore cloud;
    static IotClient iot;

    @BeforeAll
    static void start() {
        cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start();
        iot = IotClients.of(cloud);
        System.setProperty("aws.accessKeyId", cloud.controlPlaneCredentials().accessKeyId());
        System.setProperty("aws.secretAccessKey", cloud.controlPlaneCredentials().secretAccessKey());
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (iot != null) {
            iot.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run provision(String... args) {
        List<String> all = new ArrayList<>(List.of("provision"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--endpoint-url", cloud.controlPlaneEndpoint().toString(), "--ca-bundle",
                cloud.caFile().toString(), "--rate-scale", "0"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Pettysync.execute(all.toArray(String[]::new), List.of(new ProvisioningCommands()),
                new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static Path csrFile(KeyPair keys, String cn) throws Exception {
        Path f = Files.createTempFile(dir, cn, ".csr");
        Files.writeString(f, CertificateSigningRequest.create(keys, cn).pem());
        return f;
    }

    /** The bundle's identity, as the collar would present it (its key: the bundle's, or the collar's own). */
    static IssuedCredential identity(Path bundle, PrivateKey key) throws Exception {
        return new IssuedCredential(PemFiles.readCertificates(bundle.resolve(CollarBundle.CERTIFICATE)).get(0), key,
                PemFiles.readCertificates(bundle.resolve(CollarBundle.ROOT_CA)).get(0));
    }

    static List<String> principals(String thing) {
        return iot.listThingPrincipals(r -> r.thingName(thing)).principals();
    }

    @Test
    void theCollarPolicyIsCreatedOnceThenLeftAloneThenVersionedWhenItDiffers() throws Exception {
        Run first = provision("policy", "--name", "factory-policy", "--json");
        assertEquals(0, first.exit(), first.err());
        assertEquals("created", first.json().get("change").asText());
        Run again = provision("policy", "--name", "factory-policy", "--json");
        assertEquals("unchanged", again.json().get("change").asText());
        // someone changed the policy by hand, five times: the contract's document comes back as a new default
        for (int i = 0; i < 4; i++) {
            String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\","
                    + "\"Resource\":\"arn:aws:iot:us-east-1:123456789012:client/x" + i + "\"}]}";
            iot.createPolicyVersion(r -> r.policyName("factory-policy").policyDocument(doc).setAsDefault(true));
        }
        Run repaired = provision("policy", "--name", "factory-policy", "--json");
        assertEquals(0, repaired.exit(), repaired.err());
        JsonNode j = repaired.json();
        assertEquals("new_version", j.get("change").asText());
        assertEquals("1", j.get("prunedVersionId").asText());
        var versions = iot.listPolicyVersions(r -> r.policyName("factory-policy")).policyVersions();
        assertEquals(5, versions.size());
        String current = iot.getPolicy(r -> r.policyName("factory-policy")).policyDocument();
        assertEquals(JSON.readTree(cloud.policy().json()), JSON.readTree(current));
    }

    @Test
    void aCollarRegisteredFromItsCsrConnectsAsItsThingWithTheBundle() throws Exception {
        KeyPair collarKey = p256();
        Path out = dir.resolve("line-1");
        Run r = provision("register", "--thing", "collar-F0001", "--csr", csrFile(collarKey, "collar-F0001")
                .toString(), "--attribute", "hardwareRevision=C2", "--attribute", "batch=B42", "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("collar-F0001: provisioned"), r.out());
        Path bundle = out.resolve("collar-F0001");
        assertFalse(Files.exists(bundle.resolve(CollarBundle.PRIVATE_KEY)), "a CSR bundle carries no key");
        JsonNode agent = JSON.readTree(bundle.resolve(CollarBundle.AGENT_CONFIG).toFile());
        assertEquals(cloud.port(), agent.get("port").asInt());
        assertEquals("collar-F0001", agent.get("thingName").asText());

        var thing = iot.describeThing(b -> b.thingName("collar-F0001"));
        assertEquals(FleetNames.STANDARD.thingType(), thing.thingTypeName());
        assertEquals("B42", thing.attributes().get("batch"));
        assertEquals("F0001", thing.attributes().get("serial"));
        assertEquals(1, principals("collar-F0001").size());

        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-F0001", identity(bundle, collarKey.getPrivate()))) {
            c.connect();
            c.publish("pettysync/v1/collar-F0001/events", new byte[] {1});
        }
    }

    @Test
    void registeringTwiceChangesNothingTheSecondTime() throws Exception {
        Path out = dir.resolve("line-2");
        assertEquals(0, provision("register", "--thing", "collar-F0002", "--generate-key", "--out", out.toString())
                .exit());
        String cert = Files.readString(out.resolve("collar-F0002").resolve(CollarBundle.CERTIFICATE));
        Run again = provision("register", "--thing", "collar-F0002", "--generate-key", "--out", out.toString(),
                "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals("already_done", again.json().get("status").asText());
        assertEquals(cert, Files.readString(out.resolve("collar-F0002").resolve(CollarBundle.CERTIFICATE)));
        assertEquals(1, principals("collar-F0002").size());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files
                .getPosixFilePermissions(out.resolve("collar-F0002").resolve(CollarBundle.PRIVATE_KEY))));
    }

    @Test
    void badCsrsAreRefusedBeforeAnyAwsCall() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();
        Path wrongCurve = Files.createTempFile(dir, "p384", ".csr");
        Files.writeString(wrongCurve, pemOfRaw(p384, "collar-F0003"));
        Run r = provision("register", "--thing", "collar-F0003", "--csr", wrongCurve.toString(), "--out",
                dir.resolve("line-3").toString());
        assertEquals(Pettysync.EXIT_BAD_INPUT, r.exit(), r.err());
        Run subject = provision("register", "--thing", "collar-F0003", "--csr", csrFile(p256(), "collar-OTHER")
                .toString(), "--out", dir.resolve("line-3").toString());
        assertEquals(Pettysync.EXIT_BAD_INPUT, subject.exit());
        assertTrue(subject.err().contains("collar-OTHER"), subject.err());
        assertThrows(software.amazon.awssdk.services.iot.model.ResourceNotFoundException.class,
                () -> iot.describeThing(b -> b.thingName("collar-F0003")));
    }

    static String pemOfRaw(KeyPair keys, String cn) throws Exception {
        var req = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=" + cn), keys.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(keys.getPrivate()));
        StringWriter w = new StringWriter();
        try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(w)) {
            pem.writeObject(req);
        }
        return w.toString();
    }

    @Test
    void aThingWithAnotherKeysCertificateIsRefusedUnlessForced() throws Exception {
        Path out = dir.resolve("line-4");
        assertEquals(0, provision("register", "--thing", "collar-F0004", "--generate-key", "--out",
                out.resolve("first").toString()).exit());
        String old = CollarRegistrar.certificateIdOf(principals("collar-F0004").get(0));
        Run refused = provision("register", "--thing", "collar-F0004", "--csr", csrFile(p256(), "collar-F0004")
                .toString(), "--out", out.resolve("second").toString());
        assertEquals(Pettysync.EXIT_FAILED, refused.exit());
        assertTrue(refused.err().contains("--force"), refused.err());
        Run forced = provision("register", "--thing", "collar-F0004", "--csr", csrFile(p256(), "collar-F0004")
                .toString(), "--out", out.resolve("second").toString(), "--force", "--json");
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(old, forced.json().get("replacedCertificates").get(0).asText());
        assertEquals(CertificateStatus.INACTIVE, iot.describeCertificate(b -> b.certificateId(old))
                .certificateDescription().status());
        assertEquals(1, principals("collar-F0004").size());
        assertFalse(principals("collar-F0004").get(0).endsWith(old));
    }

    @Test
    void revokingACollarClosesItsConnectionRefusesItsReconnectAndDeletesItsIdentity() throws Exception {
        Path out = dir.resolve("line-5");
        assertEquals(0, provision("register", "--thing", "collar-F0005", "--generate-key", "--out", out.toString())
                .exit());
        Path bundle = out.resolve("collar-F0005");
        IssuedCredential id = identity(bundle, PemFiles.readPrivateKey(bundle.resolve(CollarBundle.PRIVATE_KEY)));
        String certificateId = CollarRegistrar.certificateIdOf(principals("collar-F0005").get(0));
        try (MqttTestClient c = MqttTestClient.of(cloud, "collar-F0005", id)) {
            c.connect();
            Run r = provision("revoke", "--thing", "collar-F0005", "--revoke", "--delete-thing");
            assertEquals(0, r.exit(), r.err());
            Throwable cause = c.disconnected.get(MqttTestClient.TIMEOUT_S, TimeUnit.SECONDS);
            assertInstanceOf(Mqtt5DisconnectException.class, cause, String.valueOf(cause));
        }
        try (MqttTestClient again = MqttTestClient.of(cloud, "collar-F0005", id)) {
            ExecutionException e = assertThrows(ExecutionException.class, again::connect);
            assertInstanceOf(Mqtt5ConnAckException.class, e.getCause());
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
                    ((Mqtt5ConnAckException) e.getCause()).getMqttMessage().getReasonCode());
        }
        assertThrows(software.amazon.awssdk.services.iot.model.ResourceNotFoundException.class,
                () -> iot.describeCertificate(b -> b.certificateId(certificateId)));
        assertThrows(software.amazon.awssdk.services.iot.model.ResourceNotFoundException.class,
                () -> iot.describeThing(b -> b.thingName("collar-F0005")));
    }

    @Test
    void aCollarsDeploymentRecordIsUpdatedAndDescribed() throws Exception {
        assertEquals(0, provision("register", "--thing", "collar-F0006", "--generate-key", "--attribute",
                "batch=B1", "--out", dir.resolve("line-6").toString()).exit());
        Run set = provision("attributes", "--thing", "collar-F0006", "dogProfile=dp-4711", "batch=");
        assertEquals(0, set.exit(), set.err());
        Run d = provision("describe", "--thing", "collar-F0006", "--json");
        assertEquals(0, d.exit(), d.err());
        JsonNode j = d.json();
        assertEquals("dp-4711", j.get("attributes").get("dogProfile").asText());
        assertTrue(j.get("attributes").get("batch") == null, j.toString());
        assertEquals("ACTIVE", j.get("certificates").get(0).get("status").asText());
        assertEquals(FleetNames.STANDARD.collarPolicy(), j.get("certificates").get(0).get("policies").get(0).asText());
        assertEquals(Pettysync.EXIT_BAD_INPUT, provision("attributes", "--thing", "collar-F0006", "bad key=1").exit());
        assertEquals(Pettysync.EXIT_FAILED, provision("describe", "--thing", "collar-NOPE").exit());
        assertEquals(Pettysync.EXIT_BAD_INPUT, provision("describe", "--thing", "no spaces").exit());
    }

    @Test
    void theCloudFormationCommandWritesTheFleetStack() throws Exception {
        Path file = dir.resolve("stack").resolve("fleet.json");
        StringWriter out = new StringWriter();
        int exit = Pettysync.execute(new String[] {"provision", "cloudformation", "--out", file.toString()},
                List.of(new ProvisioningCommands()), new PrintWriter(out, true), new PrintWriter(new StringWriter()));
        assertEquals(0, exit);
        JsonNode stack = JSON.readTree(file.toFile());
        assertEquals("AWS::IoT::Policy", stack.get("Resources").get("CollarPolicy").get("Type").asText());
        assertEquals("AWS::IoT::ProvisioningTemplate", stack.get("Resources").get("CollarClaimTemplate").get("Type")
                .asText());
        assertEquals(JSON.readTree(com.pettysync.provisioning.cloudformation.FleetStack.template()), stack);
    }
}
