package com.pettysync.provisioning.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.net.Socket;
import java.security.Principal;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate, its private key and the CA certificate that signed it: what one collar (or one server) needs to
 * speak mutual TLS.
 *
 * @param certificate the leaf certificate
 * @param privateKey  its private key (EC P-256 when issued by {@link LocalCertificateAuthority})
 * @param issuer      the CA certificate the leaf chains to
 */
public record IssuedCredential(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {
    /** File names of {@link #writeTo(Path)}. */
    public static final String CERTIFICATE_FILE = "certificate.pem";
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String CA_FILE = "ca.pem";

    public IssuedCredential {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(issuer, "issuer");
    }

    /** The subject common name (the thing name for a collar certificate); empty when there is none. */
    public String commonName() {
        return commonNameOf(certificate);
    }

    /** The CN of {@code certificate}'s subject, or empty. */
    public static String commonNameOf(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /**
     * Writes {@code certificate.pem}, {@code private-key.pem} (mode 0600) and {@code ca.pem} into {@code dir}
     * (created if missing); each file is replaced atomically.
     */
    public void writeTo(Path dir) throws IOException {
        PemFiles.writeCertificates(dir.resolve(CERTIFICATE_FILE), List.of(certificate));
        PemFiles.writePrivateKey(dir.resolve(PRIVATE_KEY_FILE), privateKey);
        PemFiles.writeCertificates(dir.resolve(CA_FILE), List.of(issuer));
    }

    /** Reads a credential written by {@link #writeTo(Path)}. */
    public static IssuedCredential readFrom(Path dir) throws IOException {
        return new IssuedCredential(PemFiles.readCertificates(dir.resolve(CERTIFICATE_FILE)).get(0),
                PemFiles.readPrivateKey(dir.resolve(PRIVATE_KEY_FILE)),
                PemFiles.readCertificates(dir.resolve(CA_FILE)).get(0));
    }

    /** An in-memory PKCS#12 key store holding the key under alias {@code alias} with the chain leaf → issuer. */
    public KeyStore keyStore(String alias, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(alias, privateKey, password, new Certificate[] {certificate, issuer});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** Writes {@link #keyStore} to {@code file} (mode 0600 where POSIX). */
    public void writePkcs12(Path file, String alias, char[] password) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(alias, password).store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write key store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Key managers presenting this certificate (for a TLS client or server). Built directly on the in-memory key —
     * no key store, so no password-based key encryption on every call (a PKCS#12 entry costs a 10,000-round key
     * derivation, which dominated connecting thousands of simulated collars).
     */
    public KeyManagerFactory keyManagerFactory() {
        return keyManagerFactory(false);
    }

    /**
     * Key managers presenting this certificate with its issuer, or with {@code leafOnly} the certificate alone (a
     * client whose server holds the CA anyway, as AWS IoT does with a registered CA: a smaller handshake).
     */
    public KeyManagerFactory keyManagerFactory(boolean leafOnly) {
        X509ExtendedKeyManager manager = new SingleKeyManager(privateKey, leafOnly
                ? new X509Certificate[] {certificate} : new X509Certificate[] {certificate, issuer});
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(javax.net.ssl.ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {manager};
            }
        }, null, "pettysync-single-key") {
        };
    }

    /** Presents one key and chain, whatever the peer asks for. */
    private static final class SingleKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "collar";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    @Override
    public String toString() {
        return "IssuedCredential[" + certificate.getSubjectX500Principal() + ", issuer "
                + issuer.getSubjectX500Principal() + "]";
    }
}
