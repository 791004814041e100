package com.pettysync.provisioning.ota;

import com.pettysync.contract.job.JobSignature;
import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The fleet's code-signing key: an EC P-256 key pair and a self-signed X.509 certificate for it (key usage
 * digitalSignature, extended key usage codeSigning, not a CA). The certificate goes into every collar's config (the
 * collar checks artifacts against it, never against anything the artifact carries); the private key stays on the
 * build server.
 *
 * <pre>
 * DIR/code-signing-key.pem    PKCS#8 private key, mode 0600 from its first byte
 * DIR/code-signing-cert.pem   the certificate (0644)
 * </pre>
 */
public record CodeSigningKey(PrivateKey privateKey, X509Certificate certificate) {
    public static final String KEY_FILE = "code-signing-key.pem";
    public static final String CERTIFICATE_FILE = "code-signing-cert.pem";

    /** A new key pair and its certificate, named {@code commonName}, valid {@code validity} from the clock's now. */
    public static CodeSigningKey generate(String commonName, Duration validity, Clock clock) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = g.generateKeyPair();
            X500Principal subject = new X500Principal("CN=" + commonName.replace(",", "\\,")
                    + ",O=PettySync code signing");
            Instant now = clock.instant();
            var b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject,
                    pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new CodeSigningKey(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make a code-signing key: " + e.getMessage(), e);
        }
    }

    /** Writes the key (0600) and the certificate into {@code dir}. */
    public void write(Path dir) throws IOException {
        PemFiles.writePrivateKey(dir.resolve(KEY_FILE), privateKey);
        PemFiles.writeCertificates(dir.resolve(CERTIFICATE_FILE), List.of(certificate));
    }

    /**
     * Reads a code-signing private key (PEM, PKCS#8 or SEC1).
     *
     * @throws IOException if the file cannot be read or is not an EC P-256 private key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        PrivateKey key = PemFiles.readPrivateKey(file);
        if (!(key instanceof ECPrivateKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IOException(file + ": not an EC P-256 private key (contract §7 signs with ECDSA P-256)");
        }
        return key;
    }

    /**
     * Reads the fleet's code-signing certificate and checks that its key is P-256.
     *
     * @throws IOException if the file holds no certificate or its key is not EC P-256
     */
    public static X509Certificate readCertificate(Path file) throws IOException {
        X509Certificate cert = PemFiles.readCertificates(file).get(0);
        if (!JobSignature.isP256(cert.getPublicKey())) {
            throw new IOException(file + ": the certificate's key is not EC P-256");
        }
        return cert;
    }
}
