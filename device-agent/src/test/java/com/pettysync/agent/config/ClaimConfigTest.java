package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code identity.claim} section, field by field. */
class ClaimConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        for (String f : List.of("claim.pem", "claim.key", "ca.pem")) {
            Files.writeString(dir.resolve(f), "-----BEGIN X-----\n-----END X-----\n");
        }
    }

    /** A claim configuration with {@code claim} as the claim section's members. */
    private static String config(String claim) {
        return """
                {"endpoint":"abc123-ats.iot.eu-west-1.amazonaws.com","caCertificate":"ca.pem","dataDirectory":"data",
                 "identity":{"claim":{%s}}}""".formatted(claim);
    }

    private static final String MINIMAL_CLAIM = """
            "certificate":"claim.pem","privateKey":"claim.key","templateName":"PettySyncCollar",
            "parameters":{"SerialNumber":"PS0001"}""";

    @Test
    void aMinimalClaimGetsItsDefaultsAndNoThingYet() throws Exception {
        AgentConfig c = new AgentConfigParser().parse(config(MINIMAL_CLAIM), dir);

        assertTrue(c.isClaim());
        assertNull(c.thingName());
        assertNull(c.certificate());
        assertNull(c.privateKey());
        ClaimConfig claim = c.claim();
        assertEquals(dir.resolve("claim.pem"), claim.certificate());
        assertEquals(dir.resolve("claim.key"), claim.privateKey());
        assertEquals("PettySyncCollar", claim.templateName());
        assertEquals(Map.of("SerialNumber", "PS0001"), claim.parameters());
        assertEquals("PS0001", claim.clientId(), "the client ID defaults to the serial number");
        assertEquals(dir.resolve("data/identity"), claim.identityDirectory());
        assertEquals(dir.resolve("data/identity/private.key"), claim.permanentPrivateKey());
        assertEquals(Duration.ofSeconds(30), claim.replyTimeout());
    }

    @Test
    void everyClaimFieldCanBeSet() throws Exception {
        AgentConfig c = new AgentConfigParser().parse(config("""
                "certificate":"claim.pem","privateKey":"claim.key","templateName":"collar_v2-eu",
                "parameters":{"SerialNumber":"PS0001","Batch":"2026-11","Model":"PS2"},"clientId":"collar-PS0001",
                "identityDirectory":"/var/lib/pettysync/identity","replyTimeoutS":120"""), dir);

        ClaimConfig claim = c.claim();
        assertEquals(List.of("SerialNumber", "Batch", "Model"), List.copyOf(claim.parameters().keySet()),
                "parameters keep the file's order");
        assertEquals("collar-PS0001", claim.clientId());
        assertEquals(Path.of("/var/lib/pettysync/identity"), claim.identityDirectory());
        assertEquals(Duration.ofSeconds(120), claim.replyTimeout());
    }

    @Test
    void aClaimAndAPermanentIdentityAreExclusive() throws IOException {
        Files.writeString(dir.resolve("cert.pem"), "x");
        String json = """
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data","thingName":"collar-1",
                 "certificate":"cert.pem","privateKey":"claim.key","identity":{"claim":{%s}}}""".formatted(MINIMAL_CLAIM);

        Map<String, String> p = ConfigFixture.problems(dir, json);

        assertEquals(List.of("certificate", "privateKey", "thingName"), List.copyOf(p.keySet()));
        assertTrue(p.get("thingName").contains("must not be set together with identity.claim"), p.toString());
    }

    @Test
    void eachBadClaimFieldIsReportedAtItsPathAllAtOnce() {
        Map<String, String> p = ConfigFixture.problems(dir, config("""
                "certificate":"missing.pem","privateKey":"","templateName":"Petty Sync!",
                "parameters":{"SerialNumber":"PS 0001","Batch":7},"replyTimeoutS":2,"retries":3"""));

        assertEquals(List.of("identity.claim.certificate", "identity.claim.parameters.Batch",
                "identity.claim.parameters.SerialNumber", "identity.claim.privateKey", "identity.claim.replyTimeoutS",
                "identity.claim.retries", "identity.claim.templateName"), List.copyOf(p.keySet()));
        assertTrue(p.get("identity.claim.certificate").startsWith("no such file"), p.toString());
        assertTrue(p.get("identity.claim.privateKey").contains("must not be empty"), p.toString());
        assertTrue(p.get("identity.claim.templateName").contains("[0-9A-Za-z_-]"), p.toString());
        assertTrue(p.get("identity.claim.parameters.Batch").contains("must be a string"), p.toString());
        assertTrue(p.get("identity.claim.parameters.SerialNumber").contains("is the client ID"), p.toString());
        assertTrue(p.get("identity.claim.replyTimeoutS").contains("between 5 and 600"), p.toString());
        assertTrue(p.get("identity.claim.retries").startsWith("unknown field"), p.toString());
    }

    @Test
    void theClientIdIsRequiredWithoutASerialNumberAndMustBeAnMqttSafeName() {
        Map<String, String> none = ConfigFixture.problems(dir, config("""
                "certificate":"claim.pem","privateKey":"claim.key","templateName":"T",
                "parameters":{"Batch":"2026-11"}"""));
        assertEquals(Map.of("identity.claim.clientId", "is required when parameters has no SerialNumber"), none);

        Map<String, String> bad = ConfigFixture.problems(dir, config(MINIMAL_CLAIM + ",\"clientId\":\"a/b#\""));
        assertTrue(bad.get("identity.claim.clientId").contains("[a-zA-Z0-9:_-]"), bad.toString());

        Map<String, String> empty = ConfigFixture.problems(dir, config(MINIMAL_CLAIM + ",\"clientId\":\"\""));
        assertTrue(empty.get("identity.claim.clientId").contains("must not be empty"), empty.toString());
    }

    @Test
    void thePermanentIdentityMustNotOverwriteTheClaimFiles() throws IOException {
        Files.createDirectories(dir.resolve("id"));
        Files.writeString(dir.resolve("id/private.key"), "x");
        Map<String, String> p = ConfigFixture.problems(dir, config("""
                "certificate":"claim.pem","privateKey":"id/private.key","templateName":"T",
                "parameters":{"SerialNumber":"PS0001"},"identityDirectory":"id\""""));

        assertTrue(p.get("identity.claim.identityDirectory").contains("would overwrite the claim's own"), p.toString());
    }

    @Test
    void anIdentitySectionNeedsItsClaimAndNothingElse() {
        Map<String, String> empty = ConfigFixture.problems(dir, """
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data","identity":{}}""");
        assertTrue(empty.get("identity.claim").startsWith("is required in identity"), empty.toString());

        Map<String, String> extra = ConfigFixture.problems(dir, """
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data",
                 "identity":{"claim":{%s},"thingName":"x"}}""".formatted(MINIMAL_CLAIM));
        assertEquals(List.of("identity.thingName"), List.copyOf(extra.keySet()));
    }

    @Test
    void withoutAClaimThePermanentIdentityIsStillRequired() {
        Map<String, String> p = ConfigFixture.problems(dir, """
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data"}""");

        assertEquals(List.of("certificate", "privateKey", "thingName"), List.copyOf(p.keySet()));
    }
}
