package com.pettysync.agent.ota;

import com.pettysync.contract.job.JobSignature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reads the update path's key material from the configuration's PEM files (JDK only). */
public final class OtaKeys {
    private OtaKeys() {}

    /**
     * The fleet's code-signing key from a PEM file holding an X.509 certificate (its public key is used; the
     * certificate's dates are not enforced: a collar's clock may be wrong at boot) or a {@code PUBLIC KEY}.
     *
     * @throws IOException if the file is unreadable or holds no P-256 key
     */
    public static PublicKey codeSigningKey(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        try {
            PublicKey key;
            if (text.contains("-----BEGIN PUBLIC KEY-----")) {
                String b64 = text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----") + 26,
                        text.indexOf("-----END PUBLIC KEY-----")).replaceAll("\\s", "");
                key = JobSignature.publicKeyFromDer(Base64.getDecoder().decode(b64));
            } else {
                Certificate c = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
                key = c.getPublicKey();
            }
            if (!JobSignature.isP256(key)) {
                throw new IOException(pem + ": the code-signing key must be EC P-256");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException(pem + ": not a PEM certificate or public key (" + e.getMessage() + ")", e);
        }
    }

    /** TLS for artifact downloads: the JDK's trust store plus the certificates in {@code extra} (may be null). */
    public static SSLContext downloadTls(Path extra) throws IOException {
        try {
            TrustManagerFactory def = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            def.init((KeyStore) null);
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add((X509TrustManager) def.getTrustManagers()[0]);
            if (extra != null) {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                Collection<? extends Certificate> certs;
                try (var in = Files.newInputStream(extra)) {
                    certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
                }
                if (certs.isEmpty()) {
                    throw new IOException(extra + ": no certificate");
                }
                int i = 0;
                for (Certificate c : certs) {
                    ks.setCertificateEntry("extra-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                managers.add((X509TrustManager) tmf.getTrustManagers()[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AnyOf(managers)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the download TLS context: " + e.getMessage(), e);
        }
    }

    /** Trusts a server that any of the managers trusts. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("no client certificates are trusted here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager m : managers) {
                try {
                    m.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
