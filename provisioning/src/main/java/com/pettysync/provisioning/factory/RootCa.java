package com.pettysync.provisioning.factory;

import com.pettysync.provisioning.ca.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The root CA a bundle carries: a given PEM file (the local IoT Core's CA), else Amazon Root CA 1, which AWS IoT's
 * ATS endpoints chain to — taken from the JDK's own trust store rather than from a copy in this repository.
 */
public final class RootCa {
    /** Amazon Root CA 1's alias in the JDK's cacerts. */
    static final String AMAZON_ROOT_CA_1_ALIAS = "amazonrootca1 [jdk]";

    private RootCa() {}

    /** The PEM of {@code file}'s certificates (refused when it holds none). */
    public static String fromFile(Path file) throws IOException {
        List<X509Certificate> certs = PemFiles.readCertificates(file);
        if (certs.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate");
        }
        return PemFiles.certificatesPem(certs);
    }

    /**
     * The root CA for a bundle: {@code rootCa} if given; else, against a custom endpoint, its CA bundle (the local
     * IoT Core's CA signs both its HTTPS and its MQTT certificates); else Amazon Root CA 1.
     */
    public static String forBundle(java.util.Optional<Path> rootCa,
            com.pettysync.provisioning.aws.ControlPlaneTarget target) throws IOException {
        java.util.Optional<Path> file = rootCa.or(() -> target.endpoint().isPresent()
                ? target.effectiveCaBundle(System.getenv()) : java.util.Optional.empty());
        return file.isPresent() ? fromFile(file.get()) : amazonRootCa1();
    }

    /** Amazon Root CA 1, PEM. */
    public static String amazonRootCa1() {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        try (InputStream in = Files.newInputStream(cacerts)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(in, null);
            X509Certificate ca = (X509Certificate) store.getCertificate(AMAZON_ROOT_CA_1_ALIAS);
            if (ca == null) {
                throw new IllegalStateException("this JDK's trust store " + cacerts
                        + " has no Amazon Root CA 1; give the root CA with --root-ca FILE");
            }
            return PemFiles.certificatesPem(List.of(ca));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK trust store " + cacerts + ": " + e.getMessage(), e);
        }
    }
}
