package com.pettysync.agent.provision;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A PKCS#10 certificate signing request (RFC 2986) for an EC P-256 key made on the collar, built with the JDK only:
 * the collar's package carries no BouncyCastle and the JDK has no public CSR builder, so this class writes the few
 * DER structures a CSR needs and signs them with {@code SHA256withECDSA}. The private key never leaves the
 * {@link KeyPair}; only the public key and the signature are in the request.
 *
 * <p>The bytes it writes (DER: tag, length, contents; a length below 128 is one byte, else {@code 0x81 n} or
 * {@code 0x82 n n}):
 * <pre>
 * 30 len                                   CertificationRequest ::= SEQUENCE {
 * │ 30 len                                   certificationRequestInfo SEQUENCE {
 * │ │ 02 01 00                                 version           INTEGER 0
 * │ │ 30 len                                   subject           Name ::= SEQUENCE OF
 * │ │ │ 31 len                                   RelativeDistinguishedName ::= SET OF
 * │ │ │ │ 30 len                                   AttributeTypeAndValue ::= SEQUENCE {
 * │ │ │ │ │ 06 03 55 04 03                           type  OID 2.5.4.3 (commonName)
 * │ │ │ │ │ 0c len &lt;UTF-8 common name&gt;             value UTF8String }
 * │ │ 30 59 …                                  subjectPKInfo     SubjectPublicKeyInfo, exactly
 * │ │                                                            {@code publicKey.getEncoded()} (X.509 SPKI:
 * │ │                                                            id-ecPublicKey, prime256v1, 04‖X‖Y)
 * │ │ a0 00                                    attributes        [0] IMPLICIT SET OF Attribute: empty }
 * │ 30 0a 06 08 2a 86 48 ce 3d 04 03 02      signatureAlgorithm  ecdsa-with-SHA256 (1.2.840.10045.4.3.2),
 * │                                                              no parameters (RFC 5758 §3.2)
 * │ 03 len 00 &lt;ECDSA-Sig-Value&gt;             signature BIT STRING, 0 unused bits; the JDK's SHA256withECDSA
 *                                                                already gives DER SEQUENCE { r INTEGER, s INTEGER }
 *                                                                over the DER of certificationRequestInfo }
 * </pre>
 * In PEM ({@link #pem}) the DER is base64 in 64-character lines between {@code -----BEGIN CERTIFICATE REQUEST-----}
 * and {@code -----END CERTIFICATE REQUEST-----}: what AWS's CreateCertificateFromCsr takes.
 */
public final class CertificateSigningRequest {
    private static final byte[] COMMON_NAME_OID = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final byte[] ECDSA_WITH_SHA256 = {0x30, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce,
        0x3d, 0x04, 0x03, 0x02};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};
    private static final byte[] NO_ATTRIBUTES = {(byte) 0xa0, 0x00};
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    private static final int UTF8_STRING = 0x0c;
    private static final int BIT_STRING = 0x03;
    /** Longest common name X.520 allows (ub-common-name); also keeps every length below 64 KiB. */
    public static final int MAX_COMMON_NAME = 64;

    private CertificateSigningRequest() {
    }

    /** A fresh EC P-256 (secp256r1) key pair from the JDK's provider. */
    public static KeyPair newP256KeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The DER of a CSR for {@code keys} with subject {@code CN=commonName}, signed with the private key. */
    public static byte[] der(KeyPair keys, String commonName) throws GeneralSecurityException {
        if (!(keys.getPublic() instanceof ECPublicKey)) {
            throw new IllegalArgumentException("an EC key pair is required, got " + keys.getPublic().getAlgorithm());
        }
        byte[] cn = commonName.getBytes(StandardCharsets.UTF_8);
        if (commonName.isEmpty() || commonName.length() > MAX_COMMON_NAME) {
            throw new IllegalArgumentException("common name must be 1-" + MAX_COMMON_NAME + " characters");
        }
        byte[] subject = tlv(SEQUENCE, tlv(SET, tlv(SEQUENCE, COMMON_NAME_OID, tlv(UTF8_STRING, cn))));
        byte[] info = tlv(SEQUENCE, VERSION_0, subject, keys.getPublic().getEncoded(), NO_ATTRIBUTES);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(info);
        byte[] signature = signer.sign();
        return tlv(SEQUENCE, info, ECDSA_WITH_SHA256, tlv(BIT_STRING, new byte[] {0}, signature));
    }

    /** The CSR as PEM text ({@code CERTIFICATE REQUEST}), as AWS's CreateCertificateFromCsr takes it. */
    public static String pem(KeyPair keys, String commonName) throws GeneralSecurityException {
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(keys, commonName))
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** One DER element: {@code tag}, the definite length of the concatenated {@code parts}, the parts. */
    static byte[] tlv(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 4);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length <= 0xff) {
            out.write(0x81);
            out.write(length);
        } else if (length <= 0xffff) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            throw new IllegalArgumentException("DER element too long for a CSR: " + length + " bytes");
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
