package com.pettysync.provisioning.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A local certificate authority: one self-signed root that issues collar (client) and server certificates.
 *
 * <p>It stands in for AWS IoT's certificate service on a developer machine, in tests and in the simulator; the
 * factory CLI reuses it for a private CA. Every key is EC P-256 and every signature ECDSA with SHA-256 (the curve
 * AWS IoT accepts for device certificates and the cheapest handshake on a Pi Zero). A collar certificate has
 * subject {@code CN=<thing name>}, key usage digitalSignature and extended key usage clientAuth; a server
 * certificate carries its host names and IP addresses as subject alternative names and serverAuth.
 *
 * <p>Guarantees: certificates are valid from one hour before the injected clock's now (tolerates skewed collar
 * clocks) for the requested validity; serial numbers are 128 random bits, so two certificates for the same thing
 * never collide. {@link #openOrCreate} is idempotent: the first call creates {@code ca.pem} + {@code ca.key}
 * (0600), later calls load them. Failure model: invalid thing names or host names are refused with
 * {@link IllegalArgumentException} before any key is made; I/O problems surface as {@link IOException}.
 */
public final class LocalCertificateAuthority {
    /** File names inside a CA directory. */
    public static final String CA_CERTIFICATE_FILE = "ca.pem";
    public static final String CA_KEY_FILE = "ca.key";
    /** Default validity of a collar certificate; AWS IoT-issued device certificates run to 2049. */
    public static final Duration COLLAR_VALIDITY = Duration.ofDays(10 * 365);
    public static final Duration SERVER_VALIDITY = Duration.ofDays(825);
    public static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);

    /** Wire contract §1: a thing name is 1–128 characters of {@code [a-zA-Z0-9:_-]}. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Clock clock;
    private final SecureRandom random;

    private LocalCertificateAuthority(X509Certificate certificate, PrivateKey key, Clock clock, SecureRandom random) {
        this.certificate = certificate;
        this.key = key;
        this.clock = clock;
        this.random = random;
    }

    /** A new root CA named {@code commonName}, valid {@link #ROOT_VALIDITY} from {@code clock}'s now. */
    public static LocalCertificateAuthority create(String commonName, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        SecureRandom random = new SecureRandom();
        KeyPair pair = newKeyPair(random);
        X500Principal subject = new X500Principal("CN=" + escape(commonName) + ",O=PettySync local CA");
        Instant now = clock.instant();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(ROOT_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
                    | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            return new LocalCertificateAuthority(cert, pair.getPrivate(), clock, random);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the root certificate: " + e.getMessage(), e);
        }
    }

    /** The CA stored as {@code ca.pem} + {@code ca.key} in {@code dir}. */
    public static LocalCertificateAuthority load(Path dir, Clock clock) throws IOException {
        X509Certificate cert = PemFiles.readCertificates(dir.resolve(CA_CERTIFICATE_FILE)).get(0);
        PrivateKey key = PemFiles.readPrivateKey(dir.resolve(CA_KEY_FILE));
        if (cert.getBasicConstraints() < 0) {
            throw new IOException(dir.resolve(CA_CERTIFICATE_FILE) + ": not a CA certificate");
        }
        return new LocalCertificateAuthority(cert, key, clock, new SecureRandom());
    }

    /** Loads the CA in {@code dir}, or creates and stores one there when {@code dir} holds none. */
    public static LocalCertificateAuthority openOrCreate(Path dir, Clock clock) throws IOException {
        if (Files.exists(dir.resolve(CA_CERTIFICATE_FILE)) && Files.exists(dir.resolve(CA_KEY_FILE))) {
            return load(dir, clock);
        }
        LocalCertificateAuthority ca = create("PettySync local root CA", clock);
        ca.writeTo(dir);
        return ca;
    }

    /** Writes {@code ca.pem} and {@code ca.key} (mode 0600) into {@code dir}. */
    public void writeTo(Path dir) throws IOException {
        PemFiles.writePrivateKey(dir.resolve(CA_KEY_FILE), key);
        PemFiles.writeCertificates(dir.resolve(CA_CERTIFICATE_FILE), List.of(certificate));
    }

    /** The root certificate (what brokers and collars trust). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A certificate for the collar {@code thingName} (subject CN = thing name), with a new EC P-256 key. */
    public IssuedCredential issueCollar(String thingName) {
        if (thingName == null || !THING_NAME.matcher(thingName).matches()) {
            throw new IllegalArgumentException("thing name must be 1-128 characters of [a-zA-Z0-9:_-], got \""
                    + thingName + "\"");
        }
        return issue(new X500Principal("CN=" + thingName), COLLAR_VALIDITY, KeyPurposeId.id_kp_clientAuth,
                List.of());
    }

    /** Organizational unit that marks an operator (back-end) certificate; see {@link #issueOperator}. */
    public static final String OPERATOR_UNIT = "operator";

    /**
     * A client certificate for a back-end tool (a test harness, the fleet simulator's observer, a dashboard):
     * subject {@code CN=<clientId>,OU=operator}. The local IoT Core gives such clients an administrator's policy
     * (any topic), the way an AWS account's own application would have one; collars never get one.
     */
    public IssuedCredential issueOperator(String clientId) {
        if (clientId == null || !THING_NAME.matcher(clientId).matches()) {
            throw new IllegalArgumentException("client id must be 1-128 characters of [a-zA-Z0-9:_-], got \""
                    + clientId + "\"");
        }
        return issue(new X500Principal("CN=" + clientId + ",OU=" + OPERATOR_UNIT), COLLAR_VALIDITY,
                KeyPurposeId.id_kp_clientAuth, List.of());
    }

    /** Whether {@code certificate}'s subject marks an operator (see {@link #issueOperator}). */
    public static boolean isOperator(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU") && OPERATOR_UNIT.equals(String.valueOf(rdn.getValue()))) {
                    return true;
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return false;
        }
        return false;
    }

    /**
     * A client certificate (clientAuth, {@link #COLLAR_VALIDITY}) for the key in {@code csr}, with the subject exactly
     * as requested: what CreateCertificateFromCsr returns. The request was already checked when it was parsed (key
     * type and size, proof of possession); the private key never reaches this CA.
     */
    public X509Certificate issueFromCsr(CertificateSigningRequest csr) {
        Objects.requireNonNull(csr, "csr");
        X500Principal subject;
        try {
            subject = new X500Principal(csr.subject().getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("the request's subject cannot be encoded: " + e.getMessage(), e);
        }
        return certify(subject, csr.publicKey(), COLLAR_VALIDITY, KeyPurposeId.id_kp_clientAuth, List.of());
    }

    /**
     * A server certificate for {@code hosts}: each entry is a DNS name or a literal IPv4/IPv6 address, all put in
     * the subject alternative names; the first is also the CN.
     */
    public IssuedCredential issueServer(List<String> hosts) {
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name or address");
        }
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                try {
                    names.add(new GeneralName(GeneralName.iPAddress,
                            InetAddress.getByName(host).getHostAddress()));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("not an IP address: " + host, e);
                }
            } else if (host.matches("[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?")) {
                names.add(new GeneralName(GeneralName.dNSName, host));
            } else {
                throw new IllegalArgumentException("not a host name: \"" + host + "\"");
            }
        }
        return issue(new X500Principal("CN=" + escape(hosts.get(0))), SERVER_VALIDITY,
                KeyPurposeId.id_kp_serverAuth, names);
    }

    /**
     * Whether {@code leaf} was signed by this CA and is valid at the clock's now (PKIX path validation with this
     * root as the only trust anchor, no revocation check).
     */
    public boolean verifies(X509Certificate leaf) {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(certificate, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(leaf)), params);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A PKCS#12 trust store holding only this root, under alias {@code pettysync-root}. */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("pettysync-root", certificate);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #trustStore()} to {@code file}. */
    public void writeTrustStore(Path file, char[] password) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write trust store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Trust managers that accept exactly the certificates this CA issued. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust managers: " + e.getMessage(), e);
        }
    }

    private IssuedCredential issue(X500Principal subject, Duration validity, KeyPurposeId purpose,
            List<GeneralName> altNames) {
        KeyPair pair = newKeyPair(random);
        return new IssuedCredential(certify(subject, pair.getPublic(), validity, purpose, altNames), pair.getPrivate(),
                certificate);
    }

    private X509Certificate certify(X500Principal subject, PublicKey publicKey, Duration validity,
            KeyPurposeId purpose, List<GeneralName> altNames) {
        Instant now = clock.instant();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, publicKey);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (!altNames.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            return sign(b, key);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair newKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 is not available in this JVM", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).setBit(126);
    }

    private static String escape(String value) {
        return value.replaceAll("([,+\"\\\\<>;=])", "\\\\$1");
    }
}
