package com.pettysync.provisioning.factory;

import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.InvalidCsrException;
import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Optional;

/**
 * A collar's key material for one registration: the checked CSR and, for a key generated here, the private key.
 *
 * <p>A generated key is staged in {@code OUT/.keys/collar-X.key} (0600, written atomically) before its CSR is ever
 * sent, and reused by every later run: a re-run after a kill presents the same public key, which is how its
 * certificate is recognised ({@link PublicKeyId}) instead of a second one being issued.
 */
public record CollarKeys(CertificateSigningRequest csr, Optional<PrivateKey> generatedKey, PublicKeyId keyId) {
    static final String STAGING = ".keys";

    /** Reads and checks the CSR file: it must verify, have an accepted key, and name the thing as its subject CN. */
    public static CollarKeys fromCsrFile(Path file, ThingName thing) throws InvalidCsrException, IOException {
        CertificateSigningRequest csr = CertificateSigningRequest.parsePem(Files.readString(file));
        if (!thing.value().equals(csr.commonName())) {
            throw new InvalidCsrException("its subject CN is " + (csr.commonName() == null ? "missing"
                    : "\"" + csr.commonName() + "\"") + " but the thing is \"" + thing.value() + "\"");
        }
        return new CollarKeys(csr, Optional.empty(), PublicKeyId.of(csr.publicKey()));
    }

    /** The staged key of {@code thing} under {@code out}, generated (EC P-256) and staged on first use. */
    public static CollarKeys generated(Path out, ThingName thing) throws IOException {
        Path file = out.resolve(STAGING).resolve(thing.value() + ".key");
        KeyPair pair;
        if (Files.exists(file)) {
            pair = withPublic(PemFiles.readPrivateKey(file));
        } else {
            pair = newKeyPair();
            Files.createDirectories(file.getParent());
            PemFiles.writePrivateKey(file, pair.getPrivate());
        }
        CertificateSigningRequest csr = CertificateSigningRequest.create(pair, thing.value());
        return new CollarKeys(csr, Optional.of(pair.getPrivate()), PublicKeyId.of(pair.getPublic()));
    }

    /** Removes the staged key once the bundle holds it. */
    static void dropStaged(Path out, ThingName thing) throws IOException {
        Files.deleteIfExists(out.resolve(STAGING).resolve(thing.value() + ".key"));
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
        }
    }

    /** Recomputes the public key of an EC private key (Q = d·G) so a staged key alone is enough. */
    static KeyPair withPublic(PrivateKey key) throws IOException {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IOException("staged key is " + key.getAlgorithm() + ", expected EC");
        }
        try {
            var params = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
            var q = params.getG().multiply(ec.getS()).normalize();
            var point = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(),
                    q.getAffineYCoord().toBigInteger());
            var pub = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, ec.getParams()));
            return new KeyPair(pub, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot derive the staged key's public key: " + e.getMessage(), e);
        }
    }
}
