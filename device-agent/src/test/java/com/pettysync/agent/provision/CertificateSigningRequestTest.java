package com.pettysync.agent.provision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Our JDK-only CSR, read back by BouncyCastle (test scope only: the collar's package does not carry it). */
class CertificateSigningRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"P", "PS0001", "collar-serial-with-a-long-name_0123456789-abcdefghijklmnopqrstuv"})
    void bouncyCastleReadsItAndTheSignatureIsValid(String cn) throws Exception {
        KeyPair keys = CertificateSigningRequest.newP256KeyPair();

        PKCS10CertificationRequest csr = parse(CertificateSigningRequest.pem(keys, cn));

        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo())),
                "signature over CertificationRequestInfo verifies with the CSR's own key");
        assertEquals(cn, csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
        assertEquals(1, csr.getSubject().getRDNs().length, "CN is the only RDN");
        assertArrayEquals(keys.getPublic().getEncoded(), csr.getSubjectPublicKeyInfo().getEncoded());
        assertEquals(X9ObjectIdentifiers.ecdsa_with_SHA256, csr.getSignatureAlgorithm().getAlgorithm());
        assertEquals(null, csr.getSignatureAlgorithm().getParameters(), "ecdsa-with-SHA256 has no parameters");
        assertEquals(0, csr.getAttributes().length, "an empty [0] attributes set");
        assertEquals(0, csr.toASN1Structure().getCertificationRequestInfo().getVersion().intValueExact());
    }

    @Test
    void derIsExactlyWhatBouncyCastleWouldEncodeBack() throws Exception {
        KeyPair keys = CertificateSigningRequest.newP256KeyPair();
        byte[] der = CertificateSigningRequest.der(keys, "PS0001");

        assertArrayEquals(der, new PKCS10CertificationRequest(der).getEncoded(), "canonical DER, no stray bytes");
        assertEquals(0x30, der[0] & 0xff);
    }

    @Test
    void pemIsBase64InSixtyFourCharacterLines() throws Exception {
        String pem = CertificateSigningRequest.pem(CertificateSigningRequest.newP256KeyPair(), "PS0001");
        String[] lines = pem.split("\n");
        assertEquals("-----BEGIN CERTIFICATE REQUEST-----", lines[0]);
        assertEquals("-----END CERTIFICATE REQUEST-----", lines[lines.length - 1]);
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
    }

    @Test
    void lengthsUseTheShortAndBothLongForms() {
        assertEquals("047f", HexFormat.of().formatHex(CertificateSigningRequest.tlv(0x04, new byte[127]), 0, 2));
        assertEquals("048180", HexFormat.of().formatHex(CertificateSigningRequest.tlv(0x04, new byte[128]), 0, 3));
        assertEquals("0481ff", HexFormat.of().formatHex(CertificateSigningRequest.tlv(0x04, new byte[255]), 0, 3));
        assertEquals("04820100", HexFormat.of().formatHex(CertificateSigningRequest.tlv(0x04, new byte[256]), 0, 4));
    }

    @Test
    void refusesAnRsaKeyAndAnOverlongName() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThrows(IllegalArgumentException.class, () -> CertificateSigningRequest.der(rsa.generateKeyPair(), "x"));
        KeyPair ec = CertificateSigningRequest.newP256KeyPair();
        assertThrows(IllegalArgumentException.class, () -> CertificateSigningRequest.der(ec, "x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> CertificateSigningRequest.der(ec, ""));
    }

    private static PKCS10CertificationRequest parse(String pem) throws Exception {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) p.readObject();
        }
    }
}
