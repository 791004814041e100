package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ALPN for port 443, host name verification and PEM errors, against a plain JSSE server on loopback. */
class PemTlsTest {
    @TempDir
    Path dir;

    /** Runs one TLS handshake against a loopback server that requires a client certificate; returns offered ALPN. */
    List<String> handshake(TestPki pki, TestPki.Client client, boolean alpn, String host) throws Exception {
        return handshake(pki, client, alpn, host, false);
    }

    /**
     * As above; {@code throughPaho}: the handshake is Paho's (PahoBrokerSession's connect, which then fails: the
     * server is no MQTT broker and closes after the handshake).
     */
    List<String> handshake(TestPki pki, TestPki.Client client, boolean alpn, String host, boolean throughPaho)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.serverKeystore)) {
            ks.load(in, TestPki.STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestPki.STORE_PASSWORD.toCharArray());
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.serverTruststore)) {
            ts.load(in, TestPki.STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        CompletableFuture<List<String>> offered = new CompletableFuture<>();
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getByName(host.equals("localhost") ? "127.0.0.1" : host))) {
            server.setNeedClientAuth(true);
            Thread t = Thread.ofPlatform().start(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setHandshakeApplicationProtocolSelector((sock, protocols) -> {
                        offered.complete(List.copyOf(protocols));
                        return protocols.contains(PemTls.AWS_MQTT_ALPN) ? PemTls.AWS_MQTT_ALPN : "";
                    });
                    s.startHandshake();
                    offered.complete(List.of());
                } catch (IOException e) {
                    offered.complete(List.of("server failed: " + e.getMessage()));
                }
            });
            if (throughPaho) {
                try (PahoBrokerSession s = new PahoBrokerSession(new PahoBrokerSession.Options("ssl://" + host + ":"
                        + server.getLocalPort(), "collar-alpn", PemTls.socketFactory(client.certificate(),
                        client.privateKey(), pki.caPem, alpn), 60, Duration.ofSeconds(5)))) {
                    assertThrows(BrokerException.class, () -> s.connect(new PahoBrokerSessionTest.Outcome()));
                }
                t.join(10_000);
                return offered.get(10, TimeUnit.SECONDS);
            }
            try (SSLSocket c = (SSLSocket) PemTls.socketFactory(client.certificate(), client.privateKey(), pki.caPem,
                    alpn).createSocket()) {
                c.connect(new InetSocketAddress(host, server.getLocalPort()), 5000);
                c.startHandshake();
                if (alpn) {
                    assertEquals(PemTls.AWS_MQTT_ALPN, c.getApplicationProtocol());
                }
            }
            t.join(10_000);
        }
        return offered.get(10, TimeUnit.SECONDS);
    }

    @Test
    void offersAwsAlpnOnlyWhenAsked() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.Client c = pki.client("collar-alpn", TestPki.KeyFormat.RSA_PKCS1);
        assertEquals(List.of(PemTls.AWS_MQTT_ALPN), handshake(pki, c, true, "localhost"));
        assertEquals(List.of(), handshake(pki, c, false, "localhost"));
    }

    /** Paho replaces the socket's SSLParameters before its handshake; the ALPN offer must survive that. */
    @Test
    void offersAwsAlpnThroughPaho() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.Client c = pki.client("collar-alpn-paho", TestPki.KeyFormat.EC_SEC1);
        assertEquals(List.of(PemTls.AWS_MQTT_ALPN), handshake(pki, c, true, "localhost", true));
        assertEquals(List.of(), handshake(pki, c, false, "localhost", true));
    }

    @Test
    void refusesABrokerWhoseNameIsNotInItsCertificate() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.Client c = pki.client("collar-host", TestPki.KeyFormat.EC_PKCS8);
        // the test broker certificate names localhost and 127.0.0.1, not 127.0.0.2
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> handshake(pki, c, false, "127.0.0.2"));
    }

    @Test
    void badPemFilesAreReportedByFileName() throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.Client c = pki.client("collar-pem", TestPki.KeyFormat.EC_SEC1);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IOException e = assertThrows(IOException.class, () -> PemTls.socketFactory(c.certificate(), empty, pki.caPem,
                false));
        assertTrue(e.getMessage().contains("empty.pem"), e.getMessage());
        e = assertThrows(IOException.class, () -> PemTls.socketFactory(empty, c.privateKey(), pki.caPem, false));
        assertTrue(e.getMessage().contains("no CERTIFICATE"), e.getMessage());
    }

    /** The JDK-only reader gives the same key as BouncyCastle's PEMParser for every format the factory may write. */
    @Test
    void readsEveryKeyFormatLikeBouncyCastle() throws Exception {
        TestPki pki = TestPki.create(dir);
        for (TestPki.KeyFormat format : TestPki.KeyFormat.values()) {
            TestPki.Client c = pki.client("collar-" + format.name().toLowerCase().replace('_', '-'), format);
            java.security.PrivateKey ours = PemTls.privateKey(c.privateKey());
            java.security.PrivateKey bc;
            try (java.io.Reader r = Files.newBufferedReader(c.privateKey());
                    org.bouncycastle.openssl.PEMParser p = new org.bouncycastle.openssl.PEMParser(r)) {
                Object o = p.readObject();
                org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter conv =
                        new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
                bc = o instanceof org.bouncycastle.openssl.PEMKeyPair kp ? conv.getPrivateKey(kp.getPrivateKeyInfo())
                        : conv.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
            }
            assertEquals(format.name().startsWith("EC") ? "EC" : "RSA", ours.getAlgorithm(), format.name());
            if (ours instanceof java.security.interfaces.ECPrivateKey ec) {
                assertEquals(((java.security.interfaces.ECPrivateKey) bc).getS(), ec.getS(), format.name());
                assertEquals(((java.security.interfaces.ECPrivateKey) bc).getParams().getCurve(),
                        ec.getParams().getCurve(), format.name());
            } else {
                assertEquals(((java.security.interfaces.RSAPrivateKey) bc).getPrivateExponent(),
                        ((java.security.interfaces.RSAPrivateKey) ours).getPrivateExponent(), format.name());
                assertEquals(((java.security.interfaces.RSAPrivateKey) bc).getModulus(),
                        ((java.security.interfaces.RSAPrivateKey) ours).getModulus(), format.name());
            }
            assertEquals(1, PemTls.certificates(c.certificate()).size());
        }
    }

    @Test
    void refusesEncryptedTruncatedAndMalformedKeysWithTheReason() throws Exception {
        TestPki pki = TestPki.create(dir);
        String sec1 = Files.readString(pki.client("collar-x", TestPki.KeyFormat.EC_SEC1).privateKey());
        String body = sec1.substring(sec1.indexOf('\n') + 1, sec1.indexOf("-----END"));
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "-----END ENCRYPTED PRIVATE KEY-----\n",
                "encrypted");
        cases.put("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n" + body
                + "-----END EC PRIVATE KEY-----\n", "encrypted");
        cases.put("-----BEGIN EC PRIVATE KEY-----\n" + body, "without END");
        cases.put("-----BEGIN EC PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n", "does not close");
        cases.put("-----BEGIN EC PRIVATE KEY-----\n%%%%\n-----END EC PRIVATE KEY-----\n", "base64");
        cases.put("-----BEGIN EC PRIVATE KEY-----\nMAYCAQECAQU=\n-----END EC PRIVATE KEY-----\n", "no privateKey");
        cases.put("-----BEGIN EC PRIVATE KEY-----\nMIIBAA==\n-----END EC PRIVATE KEY-----\n", "past the end");
        cases.put("-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n", "RSA");
        cases.put("-----BEGIN PRIVATE KEY-----\n" + body + "-----END PRIVATE KEY-----\n", "neither");
        cases.put("-----BEGIN CERTIFICATE-----\n" + body + "-----END CERTIFICATE-----\n", "no PRIVATE KEY");
        int i = 0;
        for (var e : cases.entrySet()) {
            Path f = Files.writeString(dir.resolve("bad-" + i++ + ".pem"), e.getKey());
            IOException x = assertThrows(IOException.class, () -> PemTls.privateKey(f), e.getKey());
            assertTrue(x.getMessage().contains(f.getFileName().toString()) && x.getMessage().contains(e.getValue()),
                    e.getValue() + " <- " + x.getMessage());
            assertTrue(!x.getMessage().contains(body.substring(0, 20)), "no key material in the message");
        }
    }
}
