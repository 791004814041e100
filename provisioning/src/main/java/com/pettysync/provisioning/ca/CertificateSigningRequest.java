package com.pettysync.provisioning.ca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.Objects;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A checked PKCS#10 certificate signing request: an instance exists only for a request whose signature verifies
 * with its own public key and whose key is one AWS IoT accepts for a device certificate and we allow on a collar —
 * EC P-256, or RSA of at least 2048 bits. Everything else is refused by {@link #parsePem}/{@link #parseDer} with an
 * {@link InvalidCsrException} saying which rule failed, before anything is sent anywhere.
 */
public final class CertificateSigningRequest {
    /** The smallest RSA modulus accepted. */
    public static final int MIN_RSA_BITS = 2048;

    private final PKCS10CertificationRequest request;
    private final PublicKey publicKey;

    private CertificateSigningRequest(PKCS10CertificationRequest request, PublicKey publicKey) {
        this.request = request;
        this.publicKey = publicKey;
    }

    /** Parses and checks a PEM {@code CERTIFICATE REQUEST} (or {@code NEW CERTIFICATE REQUEST}). */
    public static CertificateSigningRequest parsePem(String pem) throws InvalidCsrException {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(Objects.requireNonNull(pem, "pem")))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("not a PEM certificate request: " + e.getMessage());
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCsrException(parsed == null ? "no PEM CERTIFICATE REQUEST block found"
                    : "the PEM block is a " + parsed.getClass().getSimpleName() + ", not a CERTIFICATE REQUEST");
        }
        return check(request);
    }

    /** Parses and checks a DER-encoded request. */
    public static CertificateSigningRequest parseDer(byte[] der) throws InvalidCsrException {
        try {
            return check(new PKCS10CertificationRequest(der));
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("not a DER certificate request: " + e.getMessage());
        }
    }

    /** A request for {@code keys} with subject {@code CN=commonName}, signed with its private key (bench/factory). */
    public static CertificateSigningRequest create(KeyPair keys, String commonName) {
        try {
            String algorithm = keys.getPublic() instanceof ECPublicKey ? "SHA256withECDSA" : "SHA256withRSA";
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name(new RDN[] {new RDN(BCStyle.CN, new org.bouncycastle.asn1.DERUTF8String(commonName))}),
                    keys.getPublic()).build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
            return check(request);
        } catch (OperatorCreationException | InvalidCsrException e) {
            throw new IllegalArgumentException("cannot make a certificate request for " + commonName + ": "
                    + e.getMessage(), e);
        }
    }

    private static CertificateSigningRequest check(PKCS10CertificationRequest request) throws InvalidCsrException {
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (Exception e) {
            throw new InvalidCsrException("its public key cannot be read: " + e.getMessage());
        }
        checkKey(key);
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(key);
            if (!request.isSignatureValid(verifier)) {
                throw new InvalidCsrException("its signature does not verify with its own public key");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new InvalidCsrException("its signature cannot be checked: " + e.getMessage());
        }
        return new CertificateSigningRequest(request, key);
    }

    private static void checkKey(PublicKey key) throws InvalidCsrException {
        if (key instanceof ECPublicKey ec) {
            ECParameterSpec p = ec.getParams();
            if (p.getCurve().getField().getFieldSize() != 256 || !p.getOrder().toString(16)
                    .equals("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")) {
                throw new InvalidCsrException("its key is EC on a " + p.getCurve().getField().getFieldSize()
                        + "-bit curve; only EC P-256 (secp256r1) or RSA >= " + MIN_RSA_BITS + " is accepted");
            }
        } else if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new InvalidCsrException("its key is RSA " + rsa.getModulus().bitLength()
                        + " bits; RSA keys must have at least " + MIN_RSA_BITS + " bits");
            }
        } else {
            throw new InvalidCsrException("its key is " + key.getAlgorithm()
                    + "; only EC P-256 or RSA >= " + MIN_RSA_BITS + " is accepted");
        }
    }

    /** The subject's common name, or null when the subject has none. */
    public String commonName() {
        RDN[] cn = request.getSubject().getRDNs(BCStyle.CN);
        return cn.length == 0 ? null : IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    /** The requested public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The request's BouncyCastle form (for a CA that signs it). */
    public PKCS10CertificationRequest request() {
        return request;
    }

    /** The DER encoding. */
    public byte[] der() {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed request failed", e);
        }
    }

    /** The PEM text, as CreateCertificateFromCsr takes it. */
    public String pem() {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        } catch (IOException e) {
            throw new IllegalStateException("PEM-encoding a parsed request failed", e);
        }
        return out.toString();
    }
}
