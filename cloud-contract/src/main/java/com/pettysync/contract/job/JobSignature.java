package com.pettysync.contract.job;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The artifact signature of a job document (wire contract §7: "base64 ECDSA P-256 over the SHA-256"), made and
 * checked in exactly one place.
 *
 * <p><b>What is signed, exactly:</b> the signature is ECDSA on curve P-256 (secp256r1) whose message hash is the
 * artifact's SHA-256 digest, i.e. the 32 digest bytes are the ECDSA input {@code e} directly (JCA
 * {@code NONEwithECDSA} over the digest). This is the same signature as {@code SHA256withECDSA} over the artifact
 * bytes, and the same as {@code openssl dgst -sha256 -sign key.pem artifact} — so the build server can sign the
 * file with standard tools, and the collar can check the signature against the document's {@code sha256} before
 * downloading anything, then check the downloaded bytes against {@code sha256}. The digest is <em>not</em> hashed a
 * second time (that would be {@code SHA256withECDSA} over the digest, which this contract does not use).
 *
 * <p><b>Encoding:</b> the signature is the ASN.1 DER {@code SEQUENCE {r INTEGER, s INTEGER}} (as produced by JCA and
 * OpenSSL), in standard base64 (RFC 4648 §4, padding optional on input).
 */
public final class JobSignature {
    private JobSignature() {}

    /** Signs a 32-byte SHA-256 artifact digest with a P-256 private key; returns the base64 DER signature. */
    public static String sign(PrivateKey key, byte[] sha256) {
        checkDigest(sha256);
        try {
            Signature s = Signature.getInstance("NONEwithECDSA");
            s.initSign(key);
            s.update(sha256);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code signature} (DER) is a valid P-256 signature of the 32-byte {@code sha256} by {@code key}. Returns
     * false — never throws — for a malformed signature, a key of another curve or algorithm, or a wrong digest
     * length.
     */
    public static boolean verify(PublicKey key, byte[] sha256, byte[] signature) {
        if (sha256 == null || sha256.length != 32 || signature == null || !isP256(key)) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("NONEwithECDSA");
            s.initVerify(key);
            s.update(sha256);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code key} is an EC public key on P-256 (secp256r1). */
    public static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        ECParameterSpec p = ec.getParams();
        return p != null && p.getCurve().getField().getFieldSize() == 256
                && p.getOrder().toString(16).equals("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    }

    /**
     * Reads a P-256 public key from X.509 SubjectPublicKeyInfo DER bytes (the body of a PEM
     * {@code -----BEGIN PUBLIC KEY-----} block).
     *
     * @throws InvalidKeyException if the bytes are not an EC P-256 public key
     */
    public static PublicKey publicKeyFromDer(byte[] der) throws InvalidKeyException {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!isP256(key)) {
                throw new InvalidKeyException("not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw e instanceof InvalidKeyException ik ? ik : new InvalidKeyException("not an EC public key", e);
        }
    }

    private static void checkDigest(byte[] sha256) {
        if (sha256 == null || sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
    }
}
