package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real Paho client against a real MQTT 5 broker (HiveMQ CE) on loopback, with mutual TLS. */
class PahoBrokerSessionTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        broker = new TestBroker(dir.resolve("broker"), pki).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void acceptAll() {
        broker.refuse = t -> null;
    }

    static PahoBrokerSession session(String thing, TestPki.Client c) throws Exception {
        return new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), thing,
                PemTls.socketFactory(c.certificate(), c.privateKey(), pki.caPem, false), 60, Duration.ofSeconds(10)));
    }

    /** Records the first outcome of a publish. */
    static class Outcome implements BrokerSession.Listener {
        final CompletableFuture<Integer> puback = new CompletableFuture<>();

        @Override
        public void published(long token, int reasonCode, String reason) {
            puback.complete(reasonCode);
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            puback.completeExceptionally(cause);
        }

        @Override
        public void message(String topic, byte[] payload) {
        }

        @Override
        public void connectionLost(Throwable cause) {
        }
    }

    @ParameterizedTest
    @EnumSource(TestPki.KeyFormat.class)
    void publishesOverMutualTlsWithEveryKeyFormat(TestPki.KeyFormat format) throws Exception {
        String thing = "collar-" + format.name().toLowerCase().replace('_', '-');
        try (PahoBrokerSession s = session(thing, pki.client(thing, format))) {
            Outcome o = new Outcome();
            s.connect(o);
            byte[] payload = {1, 2, 3, (byte) format.ordinal()};
            s.publish(1, "pettysync/v1/" + thing + "/telemetry", payload);
            int rc = o.puback.get(10, TimeUnit.SECONDS);
            assertTrue(rc == 0 || rc == 0x10, "accepted (0x10 = no matching subscribers), got " + rc);
            TestBroker.Received r = broker.received.stream().filter(x -> x.clientId().equals(thing)).findFirst()
                    .orElseThrow();
            assertEquals("pettysync/v1/" + thing + "/telemetry", r.topic());
            assertArrayEquals(payload, r.payload());
        }
    }

    /** The keep-alive a session is made with is the one its CONNECT carries (the shadow's keepAliveS path). */
    @Test
    void theSessionsKeepAliveIsWhatTheBrokerReceivesInConnect() throws Exception {
        for (int keepAlive : new int[] {60, 1200}) {
            String thing = "collar-keepalive-" + keepAlive;
            TestPki.Client c = pki.client(thing, TestPki.KeyFormat.EC_SEC1);
            try (PahoBrokerSession s = new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), thing,
                    PemTls.socketFactory(c.certificate(), c.privateKey(), pki.caPem, false), keepAlive,
                    Duration.ofSeconds(10)))) {
                s.connect(new Outcome());
                assertEquals(List.of(keepAlive), broker.connects.stream().filter(x -> x.clientId().equals(thing))
                        .map(TestBroker.Connect::keepAliveS).toList());
            }
        }
    }

    @Test
    void brokerRejectionArrivesAsItsPubackReasonCode() throws Exception {
        broker.refuse = t -> AckReasonCode.QUOTA_EXCEEDED;
        try (PahoBrokerSession s = session("collar-quota", pki.client("collar-quota", TestPki.KeyFormat.EC_SEC1))) {
            Outcome o = new Outcome();
            s.connect(o);
            s.publish(7, "pettysync/v1/collar-quota/telemetry", new byte[] {9});
            assertEquals(0x97, o.puback.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused(@TempDir Path other) throws Exception {
        TestPki stranger = TestPki.create(other);
        TestPki.Client c = stranger.client("collar-stranger", TestPki.KeyFormat.EC_SEC1);
        try (PahoBrokerSession s = new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), "collar-stranger",
                PemTls.socketFactory(c.certificate(), c.privateKey(), pki.caPem, false), 60, Duration.ofSeconds(5)))) {
            BrokerException e = assertThrows(BrokerException.class, () -> s.connect(new Outcome()));
            assertTrue(e.credentialsRefused(), "told apart as a refused identity (what a revoked claim certificate"
                    + " gets): " + e.getMessage());
        }
    }

    @Test
    void brokerCertificateNotFromTheConfiguredCaIsRefused(@TempDir Path other) throws Exception {
        TestPki stranger = TestPki.create(other);
        TestPki.Client c = pki.client("collar-trust", TestPki.KeyFormat.EC_SEC1);
        try (PahoBrokerSession s = new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), "collar-trust",
                PemTls.socketFactory(c.certificate(), c.privateKey(), stranger.caPem, false), 60,
                Duration.ofSeconds(5)))) {
            BrokerException e = assertThrows(BrokerException.class, () -> s.connect(new Outcome()));
            assertTrue(e.getMessage().toLowerCase().contains("certif") || e.getMessage().contains("PKIX"),
                    e.getMessage());
        }
    }

    @Test
    void subscribesWithTheArrayFormAndReceives() throws Exception {
        TestPki.Client c = pki.client("collar-sub", TestPki.KeyFormat.EC_PKCS8);
        CompletableFuture<byte[]> got = new CompletableFuture<>();
        try (PahoBrokerSession s = session("collar-sub", c)) {
            Outcome o = new Outcome() {
                @Override
                public void message(String topic, byte[] payload) {
                    got.complete(payload);
                }
            };
            s.connect(o);
            s.subscribe(List.of("pettysync/test/collar-sub/delta"));
            s.publish(1, "pettysync/test/collar-sub/delta", "{}".getBytes());
            assertArrayEquals("{}".getBytes(), got.get(10, TimeUnit.SECONDS));
        }
    }
}
