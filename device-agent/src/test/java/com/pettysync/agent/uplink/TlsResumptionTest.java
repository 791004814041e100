package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconnects resume the TLS session: the real Paho client through {@link PemTls}'s factory against a real TLS 1.3
 * broker (HiveMQ CE on the JDK's TLS, which issues session tickets). A resumed session is the one its full handshake
 * made: same creation time; a full handshake makes a new one.
 */
class TlsResumptionTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestBroker broker;
    static TestPki.Client collar;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        broker = new TestBroker(dir.resolve("broker"), pki).start();
        collar = pki.client("collar-resume", TestPki.KeyFormat.EC_SEC1);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aReconnectThroughTheSameFactoryResumesTheSession() throws Exception {
        Recording tls = new Recording(PemTls.socketFactory(collar.certificate(), collar.privateKey(), pki.caPem,
                false));
        SSLSession first = connectAndDrop(tls, broker.uri());
        SSLSession second = connectAndDrop(tls, broker.uri());
        SSLSession third = connectAndDrop(tls, broker.uri());
        assertEquals("TLSv1.3", second.getProtocol());
        assertEquals(first.getCreationTime(), second.getCreationTime(), "the reconnect resumed the first session");
        assertEquals(first.getCreationTime(), third.getCreationTime(), "so did the one after it");
        assertEquals(3, broker.connects.stream().filter(c -> c.clientId().equals("collar-resume-" + tls.hashCode()))
                .count(), "three MQTT sessions reached the broker");
    }

    @Test
    void aNewFactoryMakesAFullHandshake() throws Exception {
        SSLSession first = connectAndDrop(new Recording(PemTls.socketFactory(collar.certificate(),
                collar.privateKey(), pki.caPem, false)), broker.uri());
        SSLSession second = connectAndDrop(new Recording(PemTls.socketFactory(collar.certificate(),
                collar.privateKey(), pki.caPem, false)), broker.uri());
        assertNotEquals(first.getCreationTime(), second.getCreationTime(), "a fresh context has nothing to resume");
    }

    /** The cache keeps a session per host and port; with room for one, a second host evicts the first. */
    @Test
    void theCacheBoundEvictsTheOldestSession() throws Exception {
        Recording tls = new Recording(PemTls.socketFactory(collar.certificate(), collar.privateKey(), pki.caPem,
                false, new TlsSessionCache(1, Duration.ofHours(1))));
        String byName = broker.uri();
        String byAddress = "ssl://127.0.0.1:" + broker.port;
        SSLSession named = connectAndDrop(tls, byName);
        SSLSession addressed = connectAndDrop(tls, byAddress);
        SSLSession addressedAgain = connectAndDrop(tls, byAddress);
        SSLSession namedAgain = connectAndDrop(tls, byName);
        assertEquals(addressed.getCreationTime(), addressedAgain.getCreationTime(), "the kept session resumes");
        assertNotEquals(named.getCreationTime(), namedAgain.getCreationTime(),
                "the evicted one is a full handshake");
    }

    @Test
    void badCacheSettingsAreRefusedWithTheirRange() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TlsSessionCache(0, Duration.ofHours(1)))
                .getMessage().contains("1 … 1000"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TlsSessionCache(4, Duration.ofDays(8)))
                .getMessage().contains("1 s … 7 days"));
        assertThrows(IllegalArgumentException.class, () -> new TlsSessionCache(4, null));
    }

    /** One MQTT session: connect (CONNACK received), then the connection is dropped; returns its TLS session. */
    private static SSLSession connectAndDrop(Recording tls, String uri) throws Exception {
        int before = tls.sockets.size();
        try (PahoBrokerSession s = new PahoBrokerSession(new PahoBrokerSession.Options(uri,
                "collar-resume-" + tls.hashCode(), tls, 60, Duration.ofSeconds(10)))) {
            s.connect(new PahoBrokerSessionTest.Outcome());
            assertEquals(before + 1, tls.sockets.size(), "one socket per connect");
            return tls.sockets.get(before).getSession();
        }
    }

    /** Hands out the sockets of {@code delegate} (what Paho connects and then handshakes on), keeping each. */
    private static final class Recording extends SSLSocketFactory {
        final List<SSLSocket> sockets = new CopyOnWriteArrayList<>();
        private final SSLSocketFactory delegate;

        Recording(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private Socket keep(Socket s) {
            sockets.add((SSLSocket) s);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return keep(delegate.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return keep(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return keep(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return keep(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return keep(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return keep(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
