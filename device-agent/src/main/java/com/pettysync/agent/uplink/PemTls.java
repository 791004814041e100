package com.pettysync.agent.uplink;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS from the PEM files the factory CLI writes: the collar certificate (chain), its private key (EC or RSA;
 * PKCS#8 {@code PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE KEY}; unencrypted, the
 * file permissions protect it) and the CA certificate(s) the broker must chain to.
 *
 * <p>The socket factory it builds verifies the broker's host name (HTTPS rules), allows TLS 1.2 and 1.3 only and,
 * for port 443, offers ALPN {@code x-amzn-mqtt-ca} as AWS IoT Core requires for MQTT on 443. Problems with the
 * files are reported as {@link IOException}s naming the file; no key material is ever logged.
 *
 * <p>Each call builds one {@link SSLContext}; its client session cache, bounded by a {@link TlsSessionCache}, lets
 * every later connection through the same factory to the same host and port resume the last session (TLS 1.3 PSK)
 * instead of a full handshake. So a caller keeps one factory for as long as the identity is in use (the agent:
 * its lifetime) rather than building one per connection.
 */
public final class PemTls {
    /** The ALPN protocol AWS IoT Core expects for MQTT with X.509 client certificates on port 443. */
    public static final String AWS_MQTT_ALPN = "x-amzn-mqtt-ca";

    private PemTls() {
    }

    /**
     * A socket factory for mutual TLS with the collar's session cache ({@link TlsSessionCache#DEFAULTS});
     * {@code alpn} adds ALPN {@value #AWS_MQTT_ALPN} (port 443).
     */
    public static SSLSocketFactory socketFactory(Path certificate, Path privateKey, Path caCertificate, boolean alpn)
            throws IOException {
        return socketFactory(certificate, privateKey, caCertificate, alpn, TlsSessionCache.DEFAULTS);
    }

    /** A socket factory for mutual TLS whose sessions are kept for resumption as {@code sessions} says. */
    public static SSLSocketFactory socketFactory(Path certificate, Path privateKey, Path caCertificate, boolean alpn,
            TlsSessionCache sessions) throws IOException {
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
            sessions.applyTo(ctx);
            return new Configured(ctx.getSocketFactory(), alpn);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context from " + certificate + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every CERTIFICATE block in {@code file}, in order. */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (PemBlock b : PemBlock.read(file)) {
                if (b.label().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The first private key in {@code file}: PKCS#8 {@code PRIVATE KEY} (EC or RSA), SEC1 {@code EC PRIVATE KEY}
     * (named curve) or PKCS#1 {@code RSA PRIVATE KEY}. SEC1 and PKCS#1 are wrapped into PKCS#8 (RFC 5208: version
     * 0, the algorithm identifier, the key as an OCTET STRING) and read by the JDK's own key factories, so no
     * crypto provider beyond the JDK is loaded on the collar.
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        for (PemBlock b : PemBlock.read(file)) {
            try {
                switch (b.label()) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der(), "EC", "RSA");
                    case "EC PRIVATE KEY":
                        b.refuseEncrypted(file);
                        return pkcs8(Pkcs8.fromSec1(b.der()), "EC");
                    case "RSA PRIVATE KEY":
                        b.refuseEncrypted(file);
                        return pkcs8(Pkcs8.fromPkcs1(b.der()), "RSA");
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IOException(file + ": encrypted private keys are not supported");
                    default:
                        break;
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException(file + ": not a readable " + b.label() + ": " + e.getMessage(), e);
            }
        }
        throw new IOException(file + ": no PRIVATE KEY block");
    }

    private static PrivateKey pkcs8(byte[] der, String... algorithms) throws GeneralSecurityException {
        GeneralSecurityException first = null;
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                first = first == null ? e : first;
            }
        }
        throw new InvalidKeySpecException("neither an " + String.join(" nor an ", algorithms) + " key"
                + (first == null ? "" : " (" + first.getMessage() + ")"), first);
    }

    /**
     * One PEM block (RFC 7468): {@code -----BEGIN label-----}, optional RFC 1421 headers (only {@code Proc-Type}
     * matters: it marks an OpenSSL-encrypted legacy key), base64 body, {@code -----END label-----}. Text outside
     * blocks is ignored, as OpenSSL does.
     */
    record PemBlock(String label, byte[] der, boolean encrypted) {
        private static final String BEGIN = "-----BEGIN ";
        private static final String END = "-----END ";
        private static final String DASHES = "-----";

        static List<PemBlock> read(Path file) throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            } catch (java.nio.charset.MalformedInputException e) {
                throw new IOException(file + ": not a PEM file (not ASCII text)", e);
            }
            List<PemBlock> blocks = new ArrayList<>();
            String label = null;
            boolean encrypted = false;
            StringBuilder body = new StringBuilder();
            int lineNo = 0;
            for (String raw : lines) {
                lineNo++;
                String line = raw.strip();
                if (label == null) {
                    if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + 5) {
                        label = line.substring(BEGIN.length(), line.length() - DASHES.length());
                        encrypted = false;
                        body.setLength(0);
                    }
                } else if (line.startsWith(END)) {
                    if (!line.equals(END + label + DASHES)) {
                        throw new IOException(file + ":" + lineNo + ": '" + line + "' does not close BEGIN " + label);
                    }
                    try {
                        blocks.add(new PemBlock(label, Base64.getDecoder().decode(body.toString()), encrypted));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + ": bad base64 in the " + label + " block ending at line "
                                + lineNo, e);
                    }
                    label = null;
                } else if (line.contains(":")) {
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    body.append(line);
                }
            }
            if (label != null) {
                throw new IOException(file + ": BEGIN " + label + " without END (truncated file?)");
            }
            return blocks;
        }

        void refuseEncrypted(Path file) throws IOException {
            if (encrypted) {
                throw new IOException(file + ": encrypted private keys are not supported");
            }
        }
    }

    /**
     * Wraps the two legacy key encodings into PKCS#8 {@code PrivateKeyInfo}. Only the DER this needs: a reader for
     * one TLV at a time (definite lengths, ≤ 4 length bytes) and a writer.
     * <pre>
     * PrivateKeyInfo ::= SEQUENCE { version INTEGER (0), algorithm AlgorithmIdentifier, privateKey OCTET STRING }
     * SEC1 ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
     *                                  parameters [0] OBJECT IDENTIFIER (named curve) OPTIONAL,
     *                                  publicKey [1] BIT STRING OPTIONAL }
     * EC:  algorithm = SEQUENCE { OID 1.2.840.10045.2.1 (id-ecPublicKey), OID of the named curve }
     * RSA: algorithm = SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }
     * </pre>
     */
    static final class Pkcs8 {
        private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
            0x01};
        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

        private Pkcs8() {
        }

        static byte[] fromPkcs1(byte[] pkcs1) {
            Tlv seq = Tlv.read(pkcs1, 0);
            if (seq.tag != 0x30 || seq.end() != pkcs1.length) {
                throw new IllegalArgumentException("not a DER SEQUENCE");
            }
            return wrap(RSA_ALGORITHM, pkcs1);
        }

        static byte[] fromSec1(byte[] sec1) {
            Tlv seq = Tlv.read(sec1, 0);
            if (seq.tag != 0x30 || seq.end() != sec1.length) {
                throw new IllegalArgumentException("not a DER SEQUENCE");
            }
            Tlv version = Tlv.read(sec1, seq.contentStart);
            if (version.tag != 0x02 || version.length != 1 || sec1[version.contentStart] != 1) {
                throw new IllegalArgumentException("not a SEC1 ECPrivateKey (version must be 1)");
            }
            Tlv key = Tlv.read(sec1, version.end());
            if (key.tag != 0x04) {
                throw new IllegalArgumentException("not a SEC1 ECPrivateKey (no privateKey OCTET STRING)");
            }
            for (int at = key.end(); at < seq.end(); ) {
                Tlv field = Tlv.read(sec1, at);
                if (field.tag == (byte) 0xa0) {
                    Tlv curve = Tlv.read(sec1, field.contentStart);
                    if (curve.tag != 0x06) {
                        throw new IllegalArgumentException("explicit curve parameters are not supported, only a "
                                + "named curve");
                    }
                    byte[] algorithm = concat(EC_PUBLIC_KEY_OID, java.util.Arrays.copyOfRange(sec1, curve.start,
                            curve.end()));
                    return wrap(concat(header(0x30, algorithm.length), algorithm), sec1);
                }
                at = field.end();
            }
            throw new IllegalArgumentException("the SEC1 key names no curve ([0] parameters missing)");
        }

        private static byte[] wrap(byte[] algorithm, byte[] key) {
            byte[] octets = concat(header(0x04, key.length), key);
            byte[] body = concat(concat(VERSION_0, algorithm), octets);
            return concat(header(0x30, body.length), body);
        }

        private static byte[] header(int tag, int length) {
            if (length < 0x80) {
                return new byte[] {(byte) tag, (byte) length};
            }
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
            byte[] h = new byte[2 + bytes];
            h[0] = (byte) tag;
            h[1] = (byte) (0x80 | bytes);
            for (int i = 0; i < bytes; i++) {
                h[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
            }
            return h;
        }

        private static byte[] concat(byte[] a, byte[] b) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        /** One DER element: tag, where its content starts and how long it is; bounds checked. */
        record Tlv(byte tag, int start, int contentStart, int length) {
            static Tlv read(byte[] der, int at) {
                if (at + 2 > der.length) {
                    throw new IllegalArgumentException("truncated DER at byte " + at);
                }
                int first = der[at + 1] & 0xff;
                int contentStart = at + 2;
                long length = first;
                if (first >= 0x80) {
                    int n = first & 0x7f;
                    if (n == 0 || n > 4 || contentStart + n > der.length) {
                        throw new IllegalArgumentException("bad DER length at byte " + at);
                    }
                    length = 0;
                    for (int i = 0; i < n; i++) {
                        length = length << 8 | (der[contentStart + i] & 0xff);
                    }
                    contentStart += n;
                }
                if (contentStart + length > der.length) {
                    throw new IllegalArgumentException("DER element at byte " + at + " runs past the end");
                }
                return new Tlv(der[at], at, contentStart, (int) length);
            }

            int end() {
                return contentStart + length;
            }
        }
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

        /** The unconnected socket Paho connects and then re-parameterises: kept settings (see SettingsKeepingSocket). */
        @Override
        public Socket createSocket() throws IOException {
            return new SettingsKeepingSocket((SSLSocket) configure(delegate.createSocket()));
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
