package com.pettysync.provisioning.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request that this CA is willing to sign: what a collar (or the factory station on
 * its behalf) sends to CreateCertificateFromCsr or fleet provisioning's {@code CreateCertificateFromCsr} so that its
 * private key never leaves it.
 *
 * <p>Guarantees: an instance exists only for a request that parses, whose public key is EC P-256 ({@code
 * secp256r1}) or RSA of at least 2048 bits (what AWS IoT accepts for device certificates,
 * https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html), and whose signature verifies with
 * that key (proof of possession). Anything else is refused with {@link InvalidCsrException} naming the reason.
 * Immutable; the subject is kept exactly as requested.
 */
public final class CertificateSigningRequest {
    /** Wire contract §1 thing names, for {@link #create}. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final int MIN_RSA_BITS = 2048;

    private final PKCS10CertificationRequest request;
    private final PublicKey publicKey;

    private CertificateSigningRequest(PKCS10CertificationRequest request, PublicKey publicKey) {
        this.request = request;
        this.publicKey = publicKey;
    }

    /** Parses a PEM {@code CERTIFICATE REQUEST} (also {@code NEW CERTIFICATE REQUEST}). */
    public static CertificateSigningRequest parsePem(String pem) throws InvalidCsrException {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCsrException("the certificate signing request is empty");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the certificate signing request is not valid PEM: " + e.getMessage(), e);
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCsrException("the PEM text holds no CERTIFICATE REQUEST block"
                    + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")"));
        }
        return checked(request);
    }

    /** Parses a DER-encoded PKCS#10 request. */
    public static CertificateSigningRequest parseDer(byte[] der) throws InvalidCsrException {
        if (der == null || der.length == 0) {
            throw new InvalidCsrException("the certificate signing request is empty");
        }
        try {
            return checked(new PKCS10CertificationRequest(der));
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the certificate signing request is not DER PKCS#10: " + e.getMessage(),
                    e);
        }
    }

    /**
     * A request for {@code keys} with subject {@code CN=commonName} (a thing name, or null for an empty subject),
     * signed with SHA256withECDSA or SHA256withRSA: what a bench or the factory station generates for a collar.
     *
     * @throws IllegalArgumentException for a common name that is not a thing name, or keys this CA would refuse
     */
    public static CertificateSigningRequest create(KeyPair keys, String commonName) {
        Objects.requireNonNull(keys, "keys");
        if (commonName != null && !THING_NAME.matcher(commonName).matches()) {
            throw new IllegalArgumentException("common name must be 1-128 characters of [a-zA-Z0-9:_-], got \""
                    + commonName + "\"");
        }
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        if (commonName != null) {
            subject.addRDN(BCStyle.CN, commonName);
        }
        String algorithm = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(keys.getPrivate());
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject.build(),
                    keys.getPublic()).build(signer);
            return checked(request);
        } catch (OperatorCreationException e) {
            throw new IllegalArgumentException("cannot sign a request with a " + keys.getPrivate().getAlgorithm()
                    + " key: " + e.getMessage(), e);
        } catch (InvalidCsrException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The subject's common name, or null when the subject has none. */
    public String commonName() {
        RDN[] cn = request.getSubject().getRDNs(BCStyle.CN);
        return cn.length == 0 ? null : IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    /** The subject exactly as requested (what the issued certificate carries). */
    X500Name subject() {
        return request.getSubject();
    }

    /** The requester's public key (EC P-256 or RSA ≥ 2048). */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The DER encoding. */
    public byte[] der() {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("a parsed request cannot be re-encoded: " + e.getMessage(), e);
        }
    }

    /** The PEM text ({@code -----BEGIN CERTIFICATE REQUEST-----}). */
    public String pem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der());
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + body + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static CertificateSigningRequest checked(PKCS10CertificationRequest request) throws InvalidCsrException {
        AlgorithmIdentifier keyAlgorithm = request.getSubjectPublicKeyInfo().getAlgorithm();
        ASN1ObjectIdentifier keyType = keyAlgorithm.getAlgorithm();
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidCsrException("the request's public key cannot be read: " + e.getMessage(), e);
        }
        if (keyType.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Object curve = keyAlgorithm.getParameters();
            if (!SECObjectIdentifiers.secp256r1.equals(curve)) {
                throw new InvalidCsrException("the request's EC key is not on curve P-256 (secp256r1), got "
                        + curveName(curve));
            }
        } else if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new InvalidCsrException("the request's RSA key has " + bits + " bits; at least " + MIN_RSA_BITS
                        + " are required");
            }
        } else {
            throw new InvalidCsrException("the request's key type " + key.getAlgorithm() + " (" + keyType
                    + ") is not accepted; use EC P-256 or RSA >= 2048 bits");
        }
        boolean valid;
        try {
            valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(
                    request.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            throw new InvalidCsrException("the request's signature cannot be checked: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new InvalidCsrException("the request's signature does not verify with its own public key");
        }
        return new CertificateSigningRequest(request, key);
    }

    private static String curveName(Object parameters) {
        if (parameters instanceof ASN1ObjectIdentifier oid) {
            String name = org.bouncycastle.asn1.x9.ECNamedCurveTable.getName(oid);
            return name != null ? name + " (" + oid + ")" : oid.toString();
        }
        return "explicit curve parameters";
    }
}
