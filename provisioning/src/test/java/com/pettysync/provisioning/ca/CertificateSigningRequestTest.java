package com.pettysync.provisioning.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CertificateSigningRequestTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final LocalCertificateAuthority ca = LocalCertificateAuthority.create("test root",
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    @Test
    void p256RequestRoundTripsThroughPemAndDer() throws Exception {
        KeyPair keys = ec("secp256r1");
        CertificateSigningRequest csr = CertificateSigningRequest.create(keys, "collar-0007");
        CertificateSigningRequest fromPem = CertificateSigningRequest.parsePem(csr.pem());
        CertificateSigningRequest fromDer = CertificateSigningRequest.parseDer(csr.der());
        assertEquals("collar-0007", fromPem.commonName());
        assertEquals(keys.getPublic(), fromPem.publicKey());
        assertArrayEquals(csr.der(), fromDer.der());
        assertTrue(csr.pem().startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"));
    }

    @Test
    void requestWithoutSubjectHasNoCommonName() throws Exception {
        assertNull(CertificateSigningRequest.create(ec("secp256r1"), null).commonName());
    }

    @Test
    void rsa2048IsAccepted() throws Exception {
        CertificateSigningRequest csr = CertificateSigningRequest.create(rsa(2048), "collar-rsa");
        assertEquals("RSA", CertificateSigningRequest.parsePem(csr.pem()).publicKey().getAlgorithm());
    }

    @Test
    void refusesEcP384Key() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateSigningRequest.create(ec("secp384r1"), "collar-p384"));
        assertTrue(e.getMessage().contains("P-256") && e.getMessage().contains("secp384r1"), e.getMessage());
    }

    @Test
    void refusesRsa1024Key() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CertificateSigningRequest.create(rsa(1024), "collar-weak"));
        assertTrue(e.getMessage().contains("1024 bits") && e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void refusesParsedRequestsWithWrongKeysToo() throws Exception {
        byte[] p384 = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=collar-p384"), ec("secp384r1").getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .build(ec("secp384r1").getPrivate())).getEncoded();
        InvalidCsrException e = assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(p384));
        assertTrue(e.getMessage().contains("not on curve P-256"), e.getMessage());
    }

    @Test
    void refusesABrokenSignature() throws Exception {
        byte[] der = CertificateSigningRequest.create(ec("secp256r1"), "collar-0001").der();
        // the last bytes are the ECDSA signature's s value: flipping one keeps the DER valid but breaks the signature
        der[der.length - 2] ^= 0x01;
        InvalidCsrException e = assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(der));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void refusesTextThatIsNotARequest() {
        InvalidCsrException e = assertThrows(InvalidCsrException.class,
                () -> CertificateSigningRequest.parsePem("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                        + "-----END CERTIFICATE REQUEST-----\n"));
        assertTrue(e.getMessage().contains("not valid PEM") || e.getMessage().contains("PKCS#10"), e.getMessage());
        assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parsePem(""));
        assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(new byte[] {1, 2, 3}));
    }

    @Test
    void caIssuesAClientCertificateForTheRequestedSubjectAndKey() throws Exception {
        KeyPair keys = ec("secp256r1");
        CertificateSigningRequest csr = CertificateSigningRequest.parsePem(
                CertificateSigningRequest.create(keys, "collar-0042").pem());
        X509Certificate cert = ca.issueFromCsr(csr);
        assertEquals(keys.getPublic(), cert.getPublicKey());
        assertEquals("CN=collar-0042", cert.getSubjectX500Principal().getName());
        assertTrue(ca.verifies(cert));
        assertTrue(cert.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2"), "clientAuth");
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals(NOW.plus(LocalCertificateAuthority.COLLAR_VALIDITY), cert.getNotAfter().toInstant());
        assertEquals(NOW.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
    }
}
