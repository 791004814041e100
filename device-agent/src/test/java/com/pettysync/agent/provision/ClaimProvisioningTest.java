package com.pettysync.agent.provision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.contract.json.JsonTrees;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimProvisioningTest {
    static final String TEMPLATE = "PettySyncCollar";
    @TempDir
    Path dir;
    final MutableClock clock = MutableClock.at("2026-12-01T08:00:00Z");
    final ManualWaits waits = new ManualWaits(clock);
    final List<ProvisioningStatus> reports = new ArrayList<>();
    final List<Instant> reportedAt = new ArrayList<>();
    FakeFleetProvisioning aws;
    Path configFile;
    AgentConfig config;

    @BeforeEach
    void claimCollar() throws Exception {
        aws = new FakeFleetProvisioning(TEMPLATE);
        writeClaimCertificate(dir.resolve("claim.pem"), Instant.parse("2026-06-01T00:00:00Z"));
        Files.writeString(dir.resolve("claim.key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        configFile = dir.resolve("agent.json");
        Files.writeString(configFile, """
                {"endpoint": "abc123-ats.iot.eu-west-1.amazonaws.com", "caCertificate": "ca.pem",
                 "dataDirectory": "data", "windowS": 60,
                 "identity": {"claim": {"certificate": "claim.pem", "privateKey": "claim.key",
                   "templateName": "PettySyncCollar", "parameters": {"SerialNumber": "PS0001", "Batch": "2026-11"}}},
                 "sensors": "simulated"}""");
        config = new AgentConfigParser().parse(configFile);
    }

    private ClaimProvisioning provisioning() {
        return provisioning(new ClaimProvisioning.Settings(Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30)));
    }

    private ClaimProvisioning provisioning(ClaimProvisioning.Settings settings) {
        return new ClaimProvisioning(configFile, aws, new IdentityStore(IdentityStore.Disk.real()), settings, clock,
                new SplittableRandom(42), waits, s -> {
                    reports.add(s);
                    reportedAt.add(clock.instant());
                });
    }

    @Test
    void provisionsByCsrAndRegisterThingAndLeavesAPermanentConfiguration() throws Exception {
        PermanentIdentity id = provisioning().provision(config.claim());

        assertEquals("collar-PS0001", id.thingName());
        assertEquals(Map.of("fallbackUrl", "https://example.com/collar"), id.deviceConfiguration());
        AgentConfig after = new AgentConfigParser().parse(configFile);
        assertFalse(after.isClaim());
        assertEquals("collar-PS0001", after.thingName());
        assertEquals(id.certificate(), after.certificate());
        assertEquals(id.privateKey(), after.privateKey());
        assertEquals(dir.resolve("data/identity/certificate.pem"), after.certificate());
        assertEquals(60, after.windowS(), "the rest of the configuration is kept");
        assertEquals(AgentConfig.Sensors.SIMULATED, after.sensors());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(id.privateKey())));
        assertKeyMatchesCertificate(PemTls.privateKey(id.privateKey()), PemTls.certificates(id.certificate()).get(0));
        assertEquals(ProvisioningStatus.State.DONE, reports.getLast().state());
        assertEquals("collar-PS0001", reports.getLast().thingName());
    }

    @Test
    void subscribesToTheFourReplyTopicsExactlyAndSendsAwsMemberNames() throws Exception {
        provisioning().provision(config.claim());

        FakeFleetProvisioning.Session s = aws.sessions.get(0);
        assertEquals(List.of("$aws/certificates/create-from-csr/json/accepted",
                "$aws/certificates/create-from-csr/json/rejected",
                "$aws/provisioning-templates/PettySyncCollar/provision/json/accepted",
                "$aws/provisioning-templates/PettySyncCollar/provision/json/rejected"), s.subscriptions);
        assertEquals(2, s.publishes.size());
        assertEquals("$aws/certificates/create-from-csr/json", s.publishes.get(0).topic());
        JsonNode csr = JsonTrees.read(s.publishes.get(0).payload());
        assertEquals(List.of("certificateSigningRequest"), names(csr));
        assertTrue(csr.path("certificateSigningRequest").asText().startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
        assertEquals("$aws/provisioning-templates/PettySyncCollar/provision/json", s.publishes.get(1).topic());
        JsonNode register = JsonTrees.read(s.publishes.get(1).payload());
        assertEquals(List.of("certificateOwnershipToken", "parameters"), names(register));
        assertEquals(Map.of("SerialNumber", "PS0001", "Batch", "2026-11"), aws.registeredParameters.get(0));
        assertEquals("CN=PS0001", aws.csrs.get(0).getSubject().toString(), "CN = the client ID (the serial)");
        assertTrue(s.closed, "the claim connection is closed once the thing is registered");
    }

    @Test
    void retriesARejectedCreateCertificateAfterABackOffAndThenSucceeds() throws Exception {
        aws.csrAnswers.add(new FakeFleetProvisioning.Reject(429, "ThrottlingException", "Rate exceeded"));

        PermanentIdentity id = provisioning().provision(config.claim());

        assertEquals("collar-PS0001", id.thingName());
        assertEquals(2, aws.sessions.size(), "a new connection for the second attempt");
        assertTrue(aws.sessions.get(0).closed);
        ProvisioningStatus waiting = firstWaiting();
        assertEquals(1, waiting.failures());
        assertEquals("create-from-csr rejected: statusCode 429, errorCode ThrottlingException (Rate exceeded)",
                waiting.lastError());
        assertTrue(!waiting.nextAttempt().isAfter(reportedAt.get(reports.indexOf(waiting)).plusSeconds(1)),
                "the first retry waits at most the back-off base (full jitter in [0, 1 s])");
    }

    @Test
    void aRejectedRegisterThingStartsAgainFromANewKeyAndCsr() throws Exception {
        aws.registerAnswers.add(new FakeFleetProvisioning.Reject(400, "InvalidCertificateOwnershipToken",
                "Certificate ownership token secret-token-1-01 has expired"));

        PermanentIdentity id = provisioning().provision(config.claim());

        assertEquals(2, aws.csrs.size(), "a second CSR after the rejected RegisterThing");
        assertNotEquals(aws.csrs.get(0).getSubjectPublicKeyInfo(), aws.csrs.get(1).getSubjectPublicKeyInfo(),
                "a new key pair for the new CSR");
        assertArrayEquals(aws.csrs.get(1).getSubjectPublicKeyInfo().getEncoded(),
                PemTls.certificates(id.certificate()).get(0).getPublicKey().getEncoded(),
                "the committed certificate is the one for the second key");
        String error = firstWaiting().lastError();
        assertTrue(error.startsWith("provision rejected: statusCode 400, errorCode InvalidCertificateOwnershipToken"),
                error);
        assertFalse(error.contains("secret-token"), "the ownership token is never logged: " + error);
    }

    @Test
    void aReplyThatNeverComesIsATimeoutAndTheAttemptIsRetried() throws Exception {
        aws.csrAnswers.add(new FakeFleetProvisioning.Silence());
        aws.registerAnswers.add(new FakeFleetProvisioning.Silence());
        Instant start = clock.instant();

        PermanentIdentity id = provisioning().provision(config.claim());

        assertEquals("collar-PS0001", id.thingName());
        List<String> errors = reports.stream().filter(r -> r.state() == ProvisioningStatus.State.WAITING_TO_RETRY)
                .map(ProvisioningStatus::lastError).toList();
        assertEquals(List.of("no create-from-csr reply within 30 s", "no provision reply within 30 s"), errors);
        assertTrue(!clock.instant().isBefore(start.plusSeconds(60)), "each silent step waited its 30 s");
        assertEquals(3, aws.sessions.size());
    }

    @Test
    void aPubackRefusalFailsTheAttemptAtOnceWithoutWaitingForTheTimeout() throws Exception {
        aws.refusePublishes = 1;
        Instant start = clock.instant();

        provisioning().provision(config.claim());

        assertEquals("create-from-csr request refused by the broker: PUBACK 0x87 Not authorized (the claim's policy"
                + " must allow this topic)", firstWaiting().lastError());
        assertEquals(start, reportedAt.get(reports.indexOf(firstWaiting())), "no reply timeout was waited out");
    }

    @Test
    void aCertificateForAnotherKeyThanTheCsrsIsRefused() throws Exception {
        aws.csrAnswers.add(new FakeFleetProvisioning.WrongKey());

        PermanentIdentity id = provisioning().provision(config.claim());

        assertTrue(firstWaiting().lastError().contains("another key than the CSR's"), firstWaiting().lastError());
        assertEquals(1, aws.registeredParameters.size(), "the foreign certificate was never registered");
        assertKeyMatchesCertificate(PemTls.privateKey(id.privateKey()), PemTls.certificates(id.certificate()).get(0));
    }

    @Test
    void aClaimCertificateRefusedAtConnectIsReportedAsSuchAndRetriedWithGrowingBackOff() throws Exception {
        aws.refuseConnects = 6;

        provisioning().provision(config.claim());

        List<ProvisioningStatus> waiting = reports.stream()
                .filter(r -> r.state() == ProvisioningStatus.State.WAITING_TO_RETRY).toList();
        assertEquals(6, waiting.size());
        String error = waiting.get(0).lastError();
        assertTrue(error.startsWith("the broker refused the claim certificate at connect (it expired at"
                + " 2026-06-01T00:00:00Z)"), error);
        for (int i = 0; i < waiting.size(); i++) {
            Instant at = reportedAt.get(reports.indexOf(waiting.get(i)));
            long ceilingS = Math.min(60, 1L << i); // 1, 2, 4, 8, 16, 32 s
            assertTrue(!waiting.get(i).nextAttempt().isAfter(at.plusSeconds(ceilingS)),
                    "retry " + (i + 1) + " within its full-jitter ceiling of " + ceilingS + " s");
            assertEquals(i + 1, waiting.get(i).failures());
        }
    }

    @Test
    void neverGivesUpAndReportsAtLeastEveryThirtySecondsWhileWaiting() throws Exception {
        aws.refuseConnects = 40; // back-off capped at 600 s: hours of retrying

        PermanentIdentity id = provisioning(new ClaimProvisioning.Settings(Duration.ofSeconds(1),
                Duration.ofSeconds(600), Duration.ofSeconds(30))).provision(config.claim());

        assertEquals("collar-PS0001", id.thingName());
        assertEquals(41, aws.sessions.size());
        for (int i = 1; i < reportedAt.size(); i++) {
            Duration gap = Duration.between(reportedAt.get(i - 1), reportedAt.get(i));
            assertTrue(gap.compareTo(Duration.ofSeconds(30)) <= 0, "a report gap of " + gap
                    + " (the status file and the systemd watchdog are fed from these reports)");
        }
        assertTrue(Duration.between(reports.get(0).since(), clock.instant()).toMinutes() > 60,
                "the test covered more than an hour of retries");
    }

    @Test
    void stopEndsProvisioningAndLeavesTheClaimConfiguration() throws Exception {
        aws.refuseConnects = 1_000;
        String before = Files.readString(configFile);
        ClaimProvisioning[] self = new ClaimProvisioning[1];
        self[0] = new ClaimProvisioning(configFile, aws, new IdentityStore(IdentityStore.Disk.real()),
                new ClaimProvisioning.Settings(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30)),
                clock, new SplittableRandom(1), waits, s -> {
                    if (s.failures() == 3) {
                        self[0].stop(); // SIGTERM while waiting to retry
                    }
                });

        assertThrows(InterruptedException.class, () -> self[0].provision(config.claim()));

        assertEquals(3, aws.sessions.size(), "no attempt after the stop");
        assertEquals(before, Files.readString(configFile));
        assertTrue(new AgentConfigParser().parse(configFile).isClaim());
    }

    private ProvisioningStatus firstWaiting() {
        return reports.stream().filter(r -> r.state() == ProvisioningStatus.State.WAITING_TO_RETRY).findFirst()
                .orElseThrow();
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertKeyMatchesCertificate(PrivateKey key, X509Certificate cert) throws Exception {
        byte[] data = "proof of possession".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(cert.getPublicKey());
        v.update(data);
        assertTrue(v.verify(sig), "the private key belongs to the certificate");
    }

    /** A self-signed claim certificate valid until {@code notAfter}. */
    static void writeClaimCertificate(Path file, Instant notAfter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair k = g.generateKeyPair();
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=claim"), BigInteger.ONE, Date.from(notAfter.minus(Duration.ofDays(365))),
                Date.from(notAfter), new X500Name("CN=claim"), k.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(c);
        }
        Files.writeString(file, w.toString());
    }
}
