package com.pettysync.agent.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests: a CA, a broker certificate for {@code localhost}/127.0.0.1 and collar certificates,
 * written as the PEM files the agent reads and as the PKCS#12 key/trust stores HiveMQ reads.
 */
public final class TestPki {
    public static final String STORE_PASSWORD = "changeit";
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    public final Path dir;
    public final KeyPair caKeys;
    public final X509Certificate ca;
    public final Path caPem;
    public final Path serverKeystore;
    public final Path serverTruststore;

    private TestPki(Path dir) throws Exception {
        this.dir = dir;
        caKeys = ec();
        ca = sign("CN=PettySync Test CA", caKeys, "CN=PettySync Test CA", caKeys.getPrivate(), true, false);
        caPem = dir.resolve("ca.pem");
        writePem(caPem, ca);
        KeyPair server = ec();
        X509Certificate serverCert = sign("CN=localhost", server, "CN=PettySync Test CA", caKeys.getPrivate(), false,
                true);
        serverKeystore = dir.resolve("broker-keystore.jks");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("broker", server.getPrivate(), STORE_PASSWORD.toCharArray(),
                new X509Certificate[] {serverCert, ca});
        store(ks, serverKeystore);
        serverTruststore = dir.resolve("broker-truststore.jks");
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        store(ts, serverTruststore);
    }

    public static TestPki create(Path dir) throws Exception {
        return new TestPki(dir);
    }

    /** Collar credentials: certificate and key PEM paths. */
    public record Client(Path certificate, Path privateKey) {
    }

    public enum KeyFormat { EC_SEC1, EC_PKCS8, RSA_PKCS1, RSA_PKCS8 }

    /** A collar certificate for {@code thing}, its key written in {@code format}. */
    public Client client(String thing, KeyFormat format) throws Exception {
        KeyPair keys = switch (format) {
            case EC_SEC1, EC_PKCS8 -> ec();
            case RSA_PKCS1, RSA_PKCS8 -> rsa();
        };
        X509Certificate cert = sign("CN=" + thing, keys, "CN=PettySync Test CA", caKeys.getPrivate(), false, false);
        Path certPem = dir.resolve(thing + "-" + format + ".cert.pem");
        writePem(certPem, cert);
        Path keyPem = dir.resolve(thing + "-" + format + ".key.pem");
        try (Writer w = Files.newBufferedWriter(keyPem); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            switch (format) {
                case EC_SEC1 -> pw.writeObject(sec1(keys)); // "EC PRIVATE KEY" with curve and public key, as openssl
                case RSA_PKCS1 -> pw.writeObject(keys.getPrivate()); // "RSA PRIVATE KEY"
                case EC_PKCS8, RSA_PKCS8 -> pw.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
            }
        }
        return new Client(certPem, keyPem);
    }

    private static org.bouncycastle.util.io.pem.PemObject sec1(KeyPair keys) throws IOException {
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo pki = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(
                keys.getPrivate().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                pki.parsePrivateKey());
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                .getInstance(keys.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                spki.getPublicKeyData(), pki.getPrivateKeyAlgorithm().getParameters());
        return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", full.getEncoded());
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean isCa, boolean server) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(30, ChronoUnit.DAYS)), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    }

    private static void writePem(Path file, Object o) throws IOException {
        try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
    }

    private static void store(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, STORE_PASSWORD.toCharArray());
        }
    }
}
