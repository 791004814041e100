package com.pettysync.simulator.cloud.provisioning;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Certificate signing requests built for tests with BouncyCastle's PKCS10CertificationRequestBuilder. */
final class TestCsrs {
    private TestCsrs() {}

    static KeyPair keys(String algorithm, Object spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (spec instanceof Integer bits) {
            g.initialize(bits);
        } else {
            g.initialize(new ECGenParameterSpec((String) spec));
        }
        return g.generateKeyPair();
    }

    /** A CSR for {@code subject} signed by {@code keys} with {@code signatureAlgorithm}, PEM. */
    static String pem(String subject, KeyPair keys, String signatureAlgorithm) throws Exception {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                keys.getPublic()).build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(csr);
        }
        return out.toString();
    }

    /** An EC P-256 CSR signed SHA256withECDSA. */
    static String ecP256(String subject) throws Exception {
        return pem(subject, keys("EC", "secp256r1"), "SHA256withECDSA");
    }

    /** A CSR whose public key is {@code claimed}'s but whose signature was made by {@code signer}. */
    static String signedByAnotherKey(String subject) throws Exception {
        KeyPair claimed = keys("EC", "secp256r1");
        KeyPair signer = keys("EC", "secp256r1");
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject),
                claimed.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(csr);
        }
        return out.toString();
    }
}
