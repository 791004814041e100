package com.pettysync.agent.uplink;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Mutual TLS from the PEM files the factory CLI writes: the collar certificate (chain), its private key (EC or RSA;
 * PKCS#8 {@code PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}; unencrypted, the
 * file permissions protect it) and the CA certificate(s) the broker must chain to.
 *
 * <p>The socket factory it builds verifies the broker's host name (HTTPS rules), allows TLS 1.2 and 1.3 only and,
 * for port 443, offers ALPN {@code x-amzn-mqtt-ca} as AWS IoT Core requires for MQTT on 443. Problems with the
 * files are reported as {@link IOException}s naming the file; no key material is ever logged.
 */
public final class PemTls {
    /** The ALPN protocol AWS IoT Core expects for MQTT with X.509 client certificates on port 443. */
    public static final String AWS_MQTT_ALPN = "x-amzn-mqtt-ca";

    private PemTls() {
    }

    /** A socket factory for mutual TLS; {@code alpn} adds ALPN {@value #AWS_MQTT_ALPN} (port 443). */
    public static SSLSocketFactory socketFactory(Path certificate, Path privateKey, Path caCertificate, boolean alpn)
            throws IOException {
        List<X509Certificate> chain = certificates(certificate);
        if (chain.isEmpty()) {
            throw new IOException(certificate + ": no CERTIFICATE block");
        }
        PrivateKey key = privateKey(privateKey);
        List<X509Certificate> cas = certificates(caCertificate);
        if (cas.isEmpty()) {
            throw new IOException(caCertificate + ": no CERTIFICATE block");
        }
        try {
            char[] pass = "pettysync".toCharArray(); // protects nothing: the key store only lives in memory
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("collar", key, pass, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                ts.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return new Configured(ctx.getSocketFactory(), alpn);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context from " + certificate + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every CERTIFICATE block in {@code file}, in order. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(conv.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
        return out;
    }

    /** The one private key in {@code file}. */
    public static PrivateKey privateKey(Path file) throws IOException {
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof PrivateKeyInfo pki) {
                    return conv.getPrivateKey(pki);
                }
                if (o instanceof PEMKeyPair kp) {
                    // SEC1 / PKCS#1; the public half is optional in SEC1, so only the private key info is used
                    return conv.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException(file + ": encrypted private keys are not supported");
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a PEM private key: " + e.getMessage(), e);
        }
        throw new IOException(file + ": no PRIVATE KEY block");
    }

    /** Applies host name verification, protocol versions and ALPN to every socket. */
    private static final class Configured extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final boolean alpn;

        Configured(SSLSocketFactory delegate, boolean alpn) {
            this.delegate = delegate;
            this.alpn = alpn;
        }

        private Socket configure(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                if (alpn) {
                    p.setApplicationProtocols(new String[] {AWS_MQTT_ALPN});
                }
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return configure(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return configure(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return configure(delegate.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return configure(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return configure(delegate.createSocket(address, port, localAddress, localPort));
        }
    }
}
