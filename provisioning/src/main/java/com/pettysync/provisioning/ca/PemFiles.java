package com.pettysync.provisioning.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads and writes certificates and private keys as PEM text files (RFC 7468).
 *
 * <p>Guarantees: a written file is complete or absent — the text goes to a temporary file in the same directory
 * which is then renamed over the target, so a crash never leaves half a key. A private key file is created with
 * mode {@code 0600} from its first byte (never world-readable, not even briefly) on file systems with POSIX
 * permissions; elsewhere the platform default applies. Keys are written as unencrypted PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}); reading also accepts SEC1 ({@code EC PRIVATE KEY}) and PKCS#1
 * ({@code RSA PRIVATE KEY}), which is what AWS IoT hands out. Bad input fails with an {@link IOException} naming
 * the file; nothing is changed on disk by a failed read.
 */
public final class PemFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    private PemFiles() {
    }

    /** The PEM text of {@code certificates}, in order (leaf first for a chain). */
    public static String certificatesPem(List<X509Certificate> certificates) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certificates) {
            try {
                sb.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
            }
        }
        return sb.toString();
    }

    /** The PEM text (PKCS#8) of {@code key}. */
    public static String privateKeyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** Writes {@code certificates} to {@code file} (mode 0644 where POSIX), replacing it atomically. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
        writeAtomically(file, certificatesPem(certificates), PUBLIC_READ);
    }

    /** Writes {@code key} to {@code file} with mode 0600 where POSIX, replacing it atomically. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeAtomically(file, privateKeyPem(key), OWNER_ONLY);
    }

    /** Every certificate in {@code file}, in file order; fails when there is none. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Every certificate in PEM {@code text}; {@code source} names it in errors. */
    public static List<X509Certificate> parseCertificates(String text, String source) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof org.bouncycastle.cert.X509CertificateHolder holder) {
                    out.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(holder.getEncoded())));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(source + ": not a valid PEM certificate file: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IOException(source + ": contains no PEM certificate");
        }
        return out;
    }

    /** The private key in {@code file} (PKCS#8, SEC1 or PKCS#1 PEM, unencrypted). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** The private key in PEM {@code text}; {@code source} names it in errors. */
    public static PrivateKey parsePrivateKey(String text, String source) throws IOException {
        try (Reader r = new StringReader(text); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException(source + ": not a valid PEM private key: " + e.getMessage(), e);
        }
        throw new IOException(source + ": contains no unencrypted PEM private key");
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode));
            } else {
                Files.createFile(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("concurrent write of " + target, e);
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (posix) {
                Files.setPosixFilePermissions(tmp, mode);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
