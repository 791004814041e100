package com.pettysync.contract.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobDocumentCheckTest {
    static KeyPair trusted;
    static KeyPair attacker;
    static byte[] artifact;
    static byte[] digest;

    static final CollarFacts FACTS = new CollarFacts(1042, 3, 50_000_000, 80);

    @BeforeAll
    static void keys() throws Exception {
        trusted = p256();
        attacker = p256();
        artifact = "firmware build 1043 — pretend this is an image".repeat(100).getBytes(StandardCharsets.UTF_8);
        digest = MessageDigest.getInstance("SHA-256").digest(artifact);
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static JobDocument signedDoc(JobOperation op, long version, long size, String signature, Integer minBattery) {
        return new JobDocument(op, version, URI.create("https://updates.example.com/a.bin"), size,
                HexFormat.of().formatHex(digest), signature,
                minBattery == null ? OptionalInt.empty() : OptionalInt.of(minBattery));
    }

    @Test
    void signatureIsStandardSha256WithEcdsaOverTheArtifactBytes() throws Exception {
        // Signed the way a build server (or `openssl dgst -sha256 -sign`) signs the file itself…
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(trusted.getPrivate());
        s.update(artifact);
        byte[] der = s.sign();
        // …verifies from the digest alone.
        assertTrue(JobSignature.verify(trusted.getPublic(), digest, der));
        // and JobSignature.sign over the digest verifies as SHA256withECDSA over the artifact
        byte[] ours = Base64.getDecoder().decode(JobSignature.sign(trusted.getPrivate(), digest));
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(trusted.getPublic());
        v.update(artifact);
        assertTrue(v.verify(ours));
        // a signature over the digest hashed again (SHA256withECDSA over the digest) is NOT the contract's
        Signature twice = Signature.getInstance("SHA256withECDSA");
        twice.initSign(trusted.getPrivate());
        twice.update(digest);
        assertFalse(JobSignature.verify(trusted.getPublic(), digest, twice.sign()));
    }

    @Test
    void acceptsACorrectlySignedNewerUpdateThatFits() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        JobVerdict v = check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, artifact.length, sig, 30), FACTS);
        assertEquals(JobVerdict.Outcome.ACCEPT, v.outcome());
        assertTrue(v.accepted());
        assertEquals(Map.of(), v.statusDetails());
        // the same through the JSON text
        String json = signedDoc(JobOperation.MODEL_UPDATE, 4, artifact.length, sig, null).toJson();
        assertTrue(check.check(json, FACTS).accepted());
        // after download: same size and digest
        JobDocument d = signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, artifact.length, sig, null);
        assertTrue(check.checkArtifact(d, artifact.length, digest).accepted());
    }

    @Test
    void rejectsASignatureByAnotherKeyOrOverOtherBytes() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String forged = JobSignature.sign(attacker.getPrivate(), digest);
        JobVerdict v = check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, forged, null), FACTS);
        assertEquals(JobVerdict.Outcome.REJECT, v.outcome());
        assertEquals("signature: does not verify with the trusted key", v.reason());
        assertEquals(Map.of("reason", "signature: does not verify with the trusted key"), v.statusDetails());

        byte[] otherDigest = digest.clone();
        otherDigest[0] ^= 1;
        String overOther = JobSignature.sign(trusted.getPrivate(), otherDigest);
        assertEquals(JobVerdict.Outcome.REJECT,
                check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, overOther, null), FACTS).outcome());

        byte[] der = Base64.getDecoder().decode(JobSignature.sign(trusted.getPrivate(), digest));
        der[der.length - 1] ^= 1;
        String flipped = Base64.getEncoder().encodeToString(der);
        assertEquals(JobVerdict.Outcome.REJECT,
                check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, flipped, null), FACTS).outcome());
    }

    @Test
    void rejectsAnUnsignedOrMalformedDocumentWithTheFieldName() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        String json = signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, sig, null).toJson();
        JobVerdict unsigned = check.check(json.replaceAll(",\"signature\":\"[^\"]*\"", ""), FACTS);
        assertEquals(JobVerdict.Outcome.REJECT, unsigned.outcome());
        assertEquals("signature: missing: the artifact is unsigned", unsigned.reason());
        JobVerdict unknownOp = check.check(json.replace("firmware-update", "reboot"), FACTS);
        assertEquals("operation: unknown operation 'reboot' (expected firmware-update or model-update)",
                unknownOp.reason());
        assertEquals(JobVerdict.Outcome.REJECT, check.check("{nope", FACTS).outcome());
    }

    @Test
    void rejectsAVersionNotNewerThanTheRunningOne() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        JobVerdict same = check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1042, 10, sig, null), FACTS);
        assertEquals("version: 1042 is not newer than the running firmware build 1042", same.reason());
        JobVerdict older = check.check(signedDoc(JobOperation.MODEL_UPDATE, 2, 10, sig, null), FACTS);
        assertEquals("version: 2 is not newer than the running model version 3", older.reason());
        // a model version above the running model is fine even though it is below the firmware build
        assertTrue(check.check(signedDoc(JobOperation.MODEL_UPDATE, 4, 10, sig, null), FACTS).accepted());
    }

    @Test
    void rejectsAnArtifactLargerThanTheFreeSpace() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        assertTrue(check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 50_000_000, sig, null), FACTS)
                .accepted());
        JobVerdict v = check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 50_000_001, sig, null), FACTS);
        assertEquals(JobVerdict.Outcome.REJECT, v.outcome());
        assertEquals("size: 50000001 bytes exceeds the free space of 50000000 bytes", v.reason());
    }

    @Test
    void defersWhenTheBatteryIsBelowTheMinimum() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        JobDocument d = signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, sig, 81);
        JobVerdict v = check.check(d, FACTS);
        assertEquals(JobVerdict.Outcome.DEFER, v.outcome());
        assertFalse(v.accepted());
        assertEquals("minBatteryPct: battery 80 % is below 81 %", v.reason());
        assertTrue(check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, 10, sig, 80), FACTS).accepted());
    }

    @Test
    void aBadSignatureIsReportedBeforeEverythingElse() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String forged = JobSignature.sign(attacker.getPrivate(), digest);
        JobVerdict v = check.check(signedDoc(JobOperation.FIRMWARE_UPDATE, 1, Long.MAX_VALUE, forged, 100),
                new CollarFacts(1042, 3, 0, 0));
        assertEquals("signature: does not verify with the trusted key", v.reason());
    }

    @Test
    void rejectsADownloadThatDoesNotMatchTheDocument() {
        JobDocumentCheck check = new JobDocumentCheck(trusted.getPublic());
        String sig = JobSignature.sign(trusted.getPrivate(), digest);
        JobDocument d = signedDoc(JobOperation.FIRMWARE_UPDATE, 1043, artifact.length, sig, null);
        assertEquals("size: downloaded 5 bytes, the document says " + artifact.length,
                check.checkArtifact(d, 5, digest).reason());
        byte[] other = digest.clone();
        other[31] ^= 0x40;
        assertEquals("sha256: the downloaded artifact does not match", check.checkArtifact(d, artifact.length, other)
                .reason());
        assertEquals(JobVerdict.Outcome.REJECT, check.checkArtifact(d, artifact.length, null).outcome());
    }

    @Test
    void onlyTrustsP256Keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> new JobDocumentCheck(p384.getPublic()));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertThrows(IllegalArgumentException.class, () -> new JobDocumentCheck(rsa.generateKeyPair().getPublic()));
        assertFalse(JobSignature.verify(p384.getPublic(), digest, new byte[] {0x30, 0}));
        assertFalse(JobSignature.verify(trusted.getPublic(), new byte[31], new byte[] {0x30, 0}));
        assertEquals(trusted.getPublic(), JobSignature.publicKeyFromDer(trusted.getPublic().getEncoded()));
        assertThrows(java.security.InvalidKeyException.class,
                () -> JobSignature.publicKeyFromDer(p384.getPublic().getEncoded()));
        assertThrows(java.security.InvalidKeyException.class, () -> JobSignature.publicKeyFromDer(new byte[] {1}));
    }
}
