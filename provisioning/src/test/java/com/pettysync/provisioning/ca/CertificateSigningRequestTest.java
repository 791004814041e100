package com.pettysync.provisioning.ca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificateSigningRequestTest {
    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static byte[] rawCsr(KeyPair keys, String subject, String algorithm) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())).getEncoded();
    }

    @Test
    void acceptsAnEcP256RequestAndKeepsItsSubjectAndKey() throws Exception {
        KeyPair keys = ec("secp256r1");
        CertificateSigningRequest csr = CertificateSigningRequest.create(keys, "collar-0001");
        CertificateSigningRequest again = CertificateSigningRequest.parsePem(csr.pem());
        assertEquals("collar-0001", again.commonName());
        assertArrayEquals(keys.getPublic().getEncoded(), again.publicKey().getEncoded());
    }

    @Test
    void acceptsRsa2048() throws Exception {
        CertificateSigningRequest csr = CertificateSigningRequest.parseDer(rawCsr(rsa(2048), "CN=collar-0002",
                "SHA256withRSA"));
        assertEquals("collar-0002", csr.commonName());
    }

    @Test
    void refusesEcP384() throws Exception {
        var e = assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(
                rawCsr(ec("secp384r1"), "CN=collar-0001", "SHA256withECDSA")));
        assertTrue(e.getMessage().contains("384-bit curve"), e.getMessage());
    }

    @Test
    void refusesRsa1024() throws Exception {
        var e = assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(
                rawCsr(rsa(1024), "CN=collar-0001", "SHA256withRSA")));
        assertTrue(e.getMessage().contains("RSA 1024 bits"), e.getMessage());
    }

    @Test
    void refusesARequestWhoseSignatureDoesNotVerify() throws Exception {
        byte[] der = rawCsr(ec("secp256r1"), "CN=collar-0001", "SHA256withECDSA");
        der[der.length - 5] ^= 0x01; // inside the signature's INTEGERs
        var e = assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(der));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void refusesTextThatIsNotARequest() {
        assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parsePem("hello"));
        assertThrows(InvalidCsrException.class, () -> CertificateSigningRequest.parseDer(new byte[] {0x30, 0x03}));
    }

    @Test
    void aSubjectWithoutCommonNameHasNone() throws Exception {
        assertNull(CertificateSigningRequest.parseDer(rawCsr(ec("secp256r1"), "O=PettySync", "SHA256withECDSA"))
                .commonName());
    }
}
