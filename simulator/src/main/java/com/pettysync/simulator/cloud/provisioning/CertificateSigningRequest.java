package com.pettysync.simulator.cloud.provisioning;

import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * A PKCS#10 certificate signing request that passed AWS IoT's checks for {@code CreateCertificateFromCsr}: one PEM
 * {@code CERTIFICATE REQUEST}, its self-signature verifies (the requester holds the private key), signed with
 * SHA-256/384/512 with RSA or ECDSA, and its key is "either an RSA key with a length of at least 2048 bits or an ECC
 * key from NIST P-256, NIST P-384, or NIST P-521 curves"
 * (https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html). What a registry needs to sign it:
 * the subject and the public key; the DER too, for a registry that parses it again.
 *
 * @param pem       the request as received (PEM text)
 * @param der       its DER encoding
 * @param subject   the requested subject, RFC 4514 text (e.g. {@code CN=collar-0001}); may be empty
 * @param publicKey the requester's public key
 */
public record CertificateSigningRequest(String pem, byte[] der, String subject, PublicKey publicKey) {
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of("SHA256WITHRSA", "SHA384WITHRSA",
            "SHA512WITHRSA", "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA");
    /** NIST P-256, P-384, P-521. */
    private static final java.util.List<ECParameterSpec> NIST_CURVES = java.util.stream.Stream
            .of("secp256r1", "secp384r1", "secp521r1").map(CertificateSigningRequest::namedCurve).toList();

    public CertificateSigningRequest {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /**
     * Parses and checks {@code pem}.
     *
     * @throws ProvisioningRefusal {@link Reason#INVALID_CSR} saying which check failed
     */
    public static CertificateSigningRequest parse(String pem) throws ProvisioningRefusal {
        if (pem == null || pem.isBlank()) {
            throw invalid("certificateSigningRequest is empty");
        }
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw invalid("certificateSigningRequest is not a PEM certificate request: " + e.getMessage());
        }
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw invalid("certificateSigningRequest must be one PEM \"CERTIFICATE REQUEST\" block, found "
                    + (parsed == null ? "none" : parsed.getClass().getSimpleName()));
        }
        AlgorithmIdentifier algorithm = request.getSignatureAlgorithm();
        String algorithmName = new DefaultAlgorithmNameFinder().getAlgorithmName(algorithm)
                .toUpperCase(java.util.Locale.ROOT);
        if (!SIGNATURE_ALGORITHMS.contains(algorithmName)) {
            throw invalid("CSR signature algorithm " + algorithmName
                    + " is not one of SHA256/384/512 with RSA or ECDSA");
        }
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).getPublicKey();
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw invalid("CSR signature does not verify with its public key");
            }
        } catch (java.security.GeneralSecurityException | OperatorCreationException | PKCSException
                | RuntimeException e) {
            throw invalid("CSR public key or signature cannot be read: " + e.getMessage());
        }
        checkKey(key);
        try {
            return new CertificateSigningRequest(pem, request.getEncoded(), request.getSubject().toString(), key);
        } catch (IOException e) {
            throw invalid("CSR cannot be encoded: " + e.getMessage());
        }
    }

    private static void checkKey(PublicKey key) throws ProvisioningRefusal {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw invalid("CSR RSA key has " + bits + " bits; at least 2048 are required");
            }
        } else if (key instanceof ECPublicKey ec) {
            ECParameterSpec params = ec.getParams();
            boolean nist = NIST_CURVES.stream().anyMatch(c -> c.getCurve().equals(params.getCurve())
                    && c.getGenerator().equals(params.getGenerator()) && c.getOrder().equals(params.getOrder()));
            if (!nist) {
                throw invalid("CSR EC key is on a " + params.getCurve().getField().getFieldSize()
                        + "-bit curve that is not NIST P-256, P-384 or P-521");
            }
        } else {
            throw invalid("CSR key algorithm " + key.getAlgorithm() + " is neither RSA nor EC");
        }
    }

    private static ECParameterSpec namedCurve(String name) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(name));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + name, e);
        }
    }

    private static ProvisioningRefusal invalid(String message) {
        return new ProvisioningRefusal(Reason.INVALID_CSR, message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateSigningRequest other && pem.equals(other.pem);
    }

    @Override
    public int hashCode() {
        return pem.hashCode();
    }

    @Override
    public String toString() {
        return "CertificateSigningRequest[" + subject + ", " + publicKey.getAlgorithm() + "]";
    }
}
