package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.simulator.cloud.control.IotClients;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.Certificates;
import com.pettysync.simulator.cloud.registry.RegisteredCertificate;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateCertificateFromCsrResponse;

/**
 * The broker authenticates through the registry, as AWS IoT Core: a certificate must be registered, ACTIVE and
 * attached to the thing it connects as; the policies attached to it decide; withdrawing it over the control plane
 * closes its open connection and refuses its next CONNECT. Real MQTT 5 over TLS, real control-plane calls.
 */
class RegistryAuthenticationTest {
    @TempDir
    static Path dir;
    static LocalIotCore cloud;
    static IotClient iot;

    @BeforeAll
    static void start() {
        cloud = LocalIotCore.builder().directory(dir).build().start();
        iot = IotClients.of(cloud);
    }

    @AfterAll
    static void stop() {
        if (iot != null) {
            iot.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    private static Mqtt5ConnAckReasonCode refusedWith(MqttTestClient c) {
        ExecutionException e = assertThrows(ExecutionException.class, c::connect);
        assertInstanceOf(Mqtt5ConnAckException.class, e.getCause(), String.valueOf(e.getCause()));
        return ((Mqtt5ConnAckException) e.getCause()).getMqttMessage().getReasonCode();
    }

    private static Mqtt5DisconnectReasonCode closedWith(MqttTestClient c) throws Exception {
        Throwable cause = c.disconnected.get(MqttTestClient.TIMEOUT_S, TimeUnit.SECONDS);
        assertInstanceOf(Mqtt5DisconnectException.class, cause, String.valueOf(cause));
        return ((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode();
    }

    /** A publish the broker accepted (0x10 No matching subscribers is a success too). */
    private static void assertAccepted(Mqtt5PubAckReasonCode code) {
        assertTrue(code == Mqtt5PubAckReasonCode.SUCCESS || code == Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS,
                String.valueOf(code));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A certificate for {@code keys} created over the control plane (what a factory station does). */
    private static IssuedCredential fromCsr(KeyPair keys, CreateCertificateFromCsrResponse r) throws Exception {
        return new IssuedCredential(PemFiles.parseCertificates(r.certificatePem(), "reply").get(0), keys.getPrivate(),
                cloud.certificateAuthority().certificate());
    }

    @Test
    void issueCollarRegistersTheCertificateThingPolicyAndAttachments() throws Exception {
        IssuedCredential collar = cloud.issueCollar("reg-issued");
        String id = Certificates.idOf(collar.certificate());
        RegisteredCertificate cert = cloud.registry().certificates().describe(id);
        assertEquals(CertificateStatus.ACTIVE, cert.status());
        assertEquals(List.of("reg-issued"), iot.listPrincipalThings(b -> b.principal(cert.arn())).things());
        assertEquals(List.of(LocalIotCore.COLLAR_POLICY_NAME), iot.listAttachedPolicies(b -> b.target(cert.arn()))
                .policies().stream().map(p -> p.policyName()).toList());
        assertEquals(cloud.policy().json(), iot.getPolicy(b -> b.policyName(LocalIotCore.COLLAR_POLICY_NAME))
                .policyDocument());
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-issued", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            assertAccepted(c.publish("pettysync/v1/reg-issued/events", new byte[] {1}));
        }
    }

    @Test
    void certificateOfTheCaThatIsNotRegisteredIsRefused() throws Exception {
        IssuedCredential unregistered = cloud.certificateAuthority().issueCollar("reg-unregistered");
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-unregistered", unregistered)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(c));
        }
    }

    @Test
    void certificateAttachedToThingACannotConnectAsB() throws Exception {
        IssuedCredential a = cloud.issueCollar("reg-thing-a");
        cloud.issueCollar("reg-thing-b"); // B exists and has its own certificate
        try (MqttTestClient asB = MqttTestClient.of(cloud, "reg-thing-b", a)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(asB));
        }
        try (MqttTestClient asA = MqttTestClient.of(cloud, "reg-thing-a", a)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, asA.connect().getReasonCode());
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, asA.publish("pettysync/v1/reg-thing-b/telemetry",
                    new byte[] {1}));
        }
    }

    @Test
    void revokingACertificateClosesItsConnectionAndRefusesItsReconnect() throws Exception {
        IssuedCredential collar = cloud.issueCollar("reg-revoked");
        String id = Certificates.idOf(collar.certificate());
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-revoked", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            iot.updateCertificate(b -> b.certificateId(id).newStatus("REVOKED"));
            assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, closedWith(c));
        }
        try (MqttTestClient again = MqttTestClient.of(cloud, "reg-revoked", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(again));
        }
    }

    @Test
    void inactiveCertificateIsRefusedUntilReactivated() throws Exception {
        IssuedCredential collar = cloud.issueCollar("reg-inactive");
        String id = Certificates.idOf(collar.certificate());
        iot.updateCertificate(b -> b.certificateId(id).newStatus("INACTIVE"));
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-inactive", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(c));
        }
        iot.updateCertificate(b -> b.certificateId(id).newStatus("ACTIVE"));
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-inactive", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
        }
    }

    @Test
    void detachingTheCertificateFromItsThingClosesTheConnection() throws Exception {
        IssuedCredential collar = cloud.issueCollar("reg-detached");
        String arn = cloud.registry().arns().certificate(Certificates.idOf(collar.certificate()));
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-detached", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            iot.detachThingPrincipal(b -> b.thingName("reg-detached").principal(arn));
            assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, closedWith(c));
        }
        try (MqttTestClient again = MqttTestClient.of(cloud, "reg-detached", collar)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(again),
                    "the collar policy's connect needs the certificate attached to the thing");
        }
    }

    @Test
    void factoryFlowOverTheControlPlaneGivesAWorkingCollar() throws Exception {
        KeyPair keys = p256();
        String csr = CertificateSigningRequest.create(keys, "reg-factory").pem();
        iot.createThing(b -> b.thingName("reg-factory"));
        CreateCertificateFromCsrResponse r = iot.createCertificateFromCsr(b -> b.certificateSigningRequest(csr)
                .setAsActive(true));
        iot.createPolicy(b -> b.policyName("reg-collar").policyDocument(cloud.policy().json()));
        iot.attachPolicy(b -> b.policyName("reg-collar").target(r.certificateArn()));
        IssuedCredential credential = fromCsr(keys, r);
        try (MqttTestClient early = MqttTestClient.of(cloud, "reg-factory", credential)) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(early), "not yet attached to the thing");
        }
        iot.attachThingPrincipal(b -> b.thingName("reg-factory").principal(r.certificateArn()));
        try (MqttTestClient c = MqttTestClient.of(cloud, "reg-factory", credential)) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            assertAccepted(c.publish("pettysync/v1/reg-factory/events", new byte[] {1}));
        }
    }

    @Test
    void claimCertificateAttachedToNoThingConnectsAsItsPolicyAllows() throws Exception {
        KeyPair keys = p256();
        CreateCertificateFromCsrResponse r = iot.createCertificateFromCsr(b -> b.certificateSigningRequest(
                CertificateSigningRequest.create(keys, "claim").pem()).setAsActive(true));
        String arn = "arn:aws:iot:" + LocalIotCore.REGION + ":" + LocalIotCore.ACCOUNT + ":";
        iot.createPolicy(b -> b.policyName("reg-claim").policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"" + arn + "client/${iot:ClientId}\"},"
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":\"" + arn
                + "topic/$aws/certificates/create-from-csr/json\"}]}"));
        iot.attachPolicy(b -> b.policyName("reg-claim").target(r.certificateArn()));
        try (MqttTestClient c = MqttTestClient.of(cloud, "factory-station-7", fromCsr(keys, r))) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            assertAccepted(c.publish("$aws/certificates/create-from-csr/json", "{}"));
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, c.publish("pettysync/v1/factory-station-7/telemetry",
                    new byte[] {1}));
            iot.detachPolicy(b -> b.policyName("reg-claim").target(r.certificateArn()));
            assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, closedWith(c), "no policy allows it any more");
        }
    }

    @Test
    void operatorCertificatesStayAdministrators() throws Exception {
        try (MqttTestClient ops = MqttTestClient.of(cloud, "reg-ops", cloud.issueOperator("reg-ops"))) {
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ops.connect().getReasonCode());
            assertAccepted(ops.publish("anything/at/all", "{}"));
        }
        try (MqttTestClient unregistered = MqttTestClient.of(cloud, "reg-ops-2",
                cloud.certificateAuthority().issueOperator("reg-ops-2"))) {
            assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, refusedWith(unregistered));
        }
        assertTrue(cloud.registryAuthentication());
    }
}
