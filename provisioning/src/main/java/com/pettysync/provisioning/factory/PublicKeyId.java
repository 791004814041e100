package com.pettysync.provisioning.factory;

import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies a key pair by the SHA-256 of its public key's SubjectPublicKeyInfo: how the factory tool recognises
 * "this certificate was issued for this collar's key" without trusting names (a CSR, a certificate in the account
 * and a staged key all reduce to the same id).
 */
public record PublicKeyId(String hex) {
    public PublicKeyId {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a public key id is 64 lowercase hex digits, got " + hex);
        }
    }

    public static PublicKeyId of(PublicKey key) {
        try {
            return new PublicKeyId(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The id of the key certified by the first certificate in {@code pem}. */
    public static PublicKeyId ofCertificatePem(String pem, String source) throws IOException {
        List<X509Certificate> certs = PemFiles.parseCertificates(pem, source);
        if (certs.isEmpty()) {
            throw new IOException(source + " holds no certificate");
        }
        return of(certs.get(0).getPublicKey());
    }

    @Override
    public String toString() {
        return hex.substring(0, 12);
    }
}
