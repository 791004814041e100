package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.Certificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes a connect cheap must not let a wrong client in, and resumption must really happen. Real TLS handshakes
 * against the local IoT Core (registry mode) through the fleet's own {@link HiveMqBrokerSession} and
 * {@link CollarTls} material: once the caches are warm (a good collar connected, the broker's chain remembered, the
 * collar policy parsed), a revoked, an unregistered, an expired and a foreign-CA certificate are each still refused;
 * a reconnect through {@link HiveMqBrokerSession#next()} resumes the TLS session (the client checks no server
 * certificate: no full handshake) and a revoked certificate is refused on a resumed handshake too.
 */
class ConnectCachesTest {
    @TempDir
    static Path dir;
    static MutableClock clock = new MutableClock(Instant.now());
    static LocalIotCore cloud;
    static CountingTrust trust;

    @BeforeAll
    static void start() {
        cloud = LocalIotCore.builder().directory(dir).clock(clock).controlPlane(false).build().start();
        trust = new CountingTrust(CollarTls.trustOnce(cloud.certificateAuthority().trustManagerFactory()));
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static HiveMqBrokerSession session(String thing, KeyManagerFactory keys) {
        return new HiveMqBrokerSession(new HiveMqBrokerSession.Options(cloud.endpoint(), cloud.port(), thing, keys,
                trust.factory(), Duration.ofSeconds(60), Duration.ofSeconds(20), null));
    }

    private static void connectAndClose(HiveMqBrokerSession s) throws BrokerException {
        s.connect(BrokerSession.Listener.NONE);
        assertTrue(s.isConnected());
        s.close();
    }

    /** A good collar connects (and warms every cache on the way). */
    private static IssuedCredential warm(String thing) throws BrokerException {
        IssuedCredential good = cloud.issueCollar(thing);
        connectAndClose(session(thing, CollarTls.keyManagers(good)));
        return good;
    }

    @Test
    void refusesRevokedUnknownExpiredAndForeignCertificatesWithWarmCaches() throws Exception {
        warm("collar-warm-1");
        warm("collar-warm-2");

        IssuedCredential revoked = cloud.issueCollar("collar-revoked");
        connectAndClose(session("collar-revoked", CollarTls.keyManagers(revoked)));
        cloud.registry().certificates().updateStatus(Certificates.idOf(revoked.certificate()),
                CertificateStatus.REVOKED);
        assertThrows(BrokerException.class,
                () -> session("collar-revoked", CollarTls.keyManagers(revoked)).connect(BrokerSession.Listener.NONE));

        // issued by the right CA, never registered
        IssuedCredential unknown = cloud.certificateAuthority().issueCollar("collar-unknown");
        assertThrows(BrokerException.class,
                () -> session("collar-unknown", CollarTls.keyManagers(unknown)).connect(BrokerSession.Listener.NONE));

        // a CA of the same name but another key: the signature does not verify
        LocalCertificateAuthority foreign = LocalCertificateAuthority.create("PettySync local root CA", clock);
        assertEquals(cloud.certificateAuthority().certificate().getSubjectX500Principal(),
                foreign.certificate().getSubjectX500Principal());
        IssuedCredential forged = foreign.issueCollar("collar-warm-1");
        assertThrows(BrokerException.class,
                () -> session("collar-warm-1", CollarTls.keyManagers(forged)).connect(BrokerSession.Listener.NONE));

        // still good after all that
        connectAndClose(session("collar-warm-2", CollarTls.keyManagers(
                cloud.issueCollar("collar-warm-2"))));
    }

    @Test
    void refusesAnExpiredCertificateOnTheCloudsClock() throws Exception {
        IssuedCredential aging = warm("collar-aging");
        Instant was = clock.instant();
        clock.advance(LocalCertificateAuthority.COLLAR_VALIDITY.plusDays(1));
        try {
            assertThrows(BrokerException.class,
                    () -> session("collar-aging", CollarTls.keyManagers(aging)).connect(BrokerSession.Listener.NONE));
        } finally {
            clock.advance(Duration.between(clock.instant(), was));
        }
        connectAndClose(session("collar-aging", CollarTls.keyManagers(aging)));
    }

    @Test
    void aReconnectThroughNextResumesTheTlsSessionAndANewSessionDoesNot() throws Exception {
        IssuedCredential collar = cloud.issueCollar("collar-resume");
        KeyManagerFactory keys = CollarTls.keyManagers(collar);
        HiveMqBrokerSession first = session("collar-resume", keys);
        long full0 = trust.serverChecks();
        connectAndClose(first);
        assertEquals(1, trust.serverChecks() - full0, "the first connect is a full handshake");

        HiveMqBrokerSession second = first.next();
        connectAndClose(second);
        HiveMqBrokerSession third = second.next();
        connectAndClose(third);
        assertEquals(1, trust.serverChecks() - full0, "reconnects through next() resume: no server check");

        connectAndClose(session("collar-resume", keys));
        assertEquals(2, trust.serverChecks() - full0, "a new session has no TLS state: a full handshake");

        // closing a superseded session leaves the newer connection alone
        HiveMqBrokerSession fourth = third.next();
        fourth.connect(BrokerSession.Listener.NONE);
        third.close();
        assertTrue(fourth.isConnected());
        assertFalse(third.isConnected());
        fourth.close();
    }

    @Test
    void aResumedHandshakeOfARevokedCertificateIsStillRefused() throws Exception {
        IssuedCredential collar = cloud.issueCollar("collar-resume-revoked");
        HiveMqBrokerSession first = session("collar-resume-revoked", CollarTls.keyManagers(collar));
        connectAndClose(first);
        cloud.registry().certificates().updateStatus(Certificates.idOf(collar.certificate()),
                CertificateStatus.REVOKED);
        long full0 = trust.serverChecks();
        assertThrows(BrokerException.class, () -> first.next().connect(BrokerSession.Listener.NONE));
        assertEquals(0, trust.serverChecks() - full0, "the refused handshake was a resumed one");
    }
}
