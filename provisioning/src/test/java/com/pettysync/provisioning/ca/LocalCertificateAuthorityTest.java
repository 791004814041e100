package com.pettysync.provisioning.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final LocalCertificateAuthority ca = LocalCertificateAuthority.create("test root", clock);

    @TempDir
    Path dir;

    @Test
    void collarCertificateNamesTheThingAndChainsToTheRoot() throws Exception {
        IssuedCredential collar = ca.issueCollar("collar-0001");
        X509Certificate cert = collar.certificate();
        assertEquals("collar-0001", collar.commonName());
        assertTrue(ca.verifies(cert));
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
        assertEquals(256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(NOW.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
        assertEquals(NOW.plus(LocalCertificateAuthority.COLLAR_VALIDITY), cert.getNotAfter().toInstant());
        // the key really belongs to the certificate
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(collar.privateKey());
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(sig));
    }

    @Test
    void certificatesFromAnotherCaOrExpiredDoNotVerify() {
        LocalCertificateAuthority other = LocalCertificateAuthority.create("other root", clock);
        assertFalse(ca.verifies(other.issueCollar("collar-0001").certificate()));
        IssuedCredential collar = ca.issueCollar("collar-0002");
        LocalCertificateAuthority sameKeyLater = reloadAt(ca, NOW.plus(Duration.ofDays(11 * 365)));
        assertFalse(sameKeyLater.verifies(collar.certificate()));
    }

    @Test
    void operatorCertificatesAreMarkedAndCollarCertificatesAreNot() {
        IssuedCredential operator = ca.issueOperator("test-observer");
        assertEquals("test-observer", operator.commonName());
        assertTrue(LocalCertificateAuthority.isOperator(operator.certificate()));
        assertFalse(LocalCertificateAuthority.isOperator(ca.issueCollar("collar-1").certificate()));
        assertTrue(ca.verifies(operator.certificate()));
    }

    @Test
    void serialNumbersDifferForTheSameThing() {
        assertFalse(ca.issueCollar("collar-1").certificate().getSerialNumber()
                .equals(ca.issueCollar("collar-1").certificate().getSerialNumber()));
    }

    @Test
    void serverCertificateCarriesHostNamesAndAddresses() throws Exception {
        X509Certificate cert = ca.issueServer(List.of("localhost", "127.0.0.1", "::1")).certificate();
        var names = cert.getSubjectAlternativeNames().stream().map(l -> l.get(0) + "=" + l.get(1)).toList();
        assertTrue(names.contains("2=localhost"), names.toString());
        assertTrue(names.contains("7=127.0.0.1"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("7=0:0:0:0:0:0:0:1")), names.toString());
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        assertTrue(ca.verifies(cert));
    }

    @Test
    void refusesBadThingAndHostNames() {
        assertThrows(IllegalArgumentException.class, () -> ca.issueCollar("collar 1"));
        assertThrows(IllegalArgumentException.class, () -> ca.issueCollar(""));
        assertThrows(IllegalArgumentException.class, () -> ca.issueCollar("x".repeat(129)));
        assertThrows(IllegalArgumentException.class, () -> ca.issueCollar("CN=evil,O=x"));
        assertThrows(IllegalArgumentException.class, () -> ca.issueServer(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ca.issueServer(List.of("bad host")));
    }

    @Test
    void bundleRoundTripsAndKeyIsOwnerOnly() throws Exception {
        IssuedCredential collar = ca.issueCollar("collar-0003");
        collar.writeTo(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(IssuedCredential.PRIVATE_KEY_FILE))));
        assertTrue(Files.readString(dir.resolve(IssuedCredential.PRIVATE_KEY_FILE))
                .startsWith("-----BEGIN PRIVATE KEY-----\n"));
        IssuedCredential back = IssuedCredential.readFrom(dir);
        assertEquals(collar.certificate(), back.certificate());
        assertEquals(collar.issuer(), back.issuer());
        assertArrayEquals(collar.privateKey().getEncoded(), back.privateKey().getEncoded());
        // rewriting replaces the files and keeps the mode
        ca.issueCollar("collar-0003").writeTo(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(IssuedCredential.PRIVATE_KEY_FILE))));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left");
        }
    }

    @Test
    void openOrCreateCreatesOnceThenLoadsTheSameRoot() throws Exception {
        LocalCertificateAuthority first = LocalCertificateAuthority.openOrCreate(dir, clock);
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(LocalCertificateAuthority.CA_KEY_FILE))));
        LocalCertificateAuthority second = LocalCertificateAuthority.openOrCreate(dir, clock);
        assertEquals(first.certificate(), second.certificate());
        assertTrue(first.verifies(second.issueCollar("collar-9").certificate()));
    }

    @Test
    void readingGarbageFailsWithTheFileName() throws Exception {
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "hello\n");
        IOException e = assertThrows(IOException.class, () -> PemFiles.readCertificates(bad));
        assertTrue(e.getMessage().contains("bad.pem"), e.getMessage());
        assertThrows(IOException.class, () -> PemFiles.readPrivateKey(bad));
        Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThrows(IOException.class, () -> PemFiles.readPrivateKey(bad));
    }

    @Test
    void readsSec1EcKeys() throws Exception {
        IssuedCredential collar = ca.issueCollar("collar-5");
        // convert PKCS#8 to SEC1 via BouncyCastle to emulate an OpenSSL-written key
        java.math.BigInteger d = ((java.security.interfaces.ECPrivateKey) collar.privateKey()).getS();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d,
                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1).getEncoded();
        String pem = "-----BEGIN EC PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(sec1) + "\n-----END EC PRIVATE KEY-----\n";
        assertArrayEquals(((java.security.interfaces.ECPrivateKey) collar.privateKey()).getS().toByteArray(),
                ((java.security.interfaces.ECPrivateKey) PemFiles.parsePrivateKey(pem, "x")).getS().toByteArray());
    }

    private LocalCertificateAuthority reloadAt(LocalCertificateAuthority authority, Instant at) {
        try {
            authority.writeTo(dir.resolve("ca"));
            return LocalCertificateAuthority.load(dir.resolve("ca"), Clock.fixed(at, ZoneOffset.UTC));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
