package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's broker-session contract, fulfilled by the HiveMQ client against the local IoT Core. */
class HiveMqBrokerSessionTest {
    @TempDir
    Path dir;

    private static final class Recorder implements BrokerSession.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();

        @Override
        public void published(long token, int reasonCode, String reason) {
            events.add(token + ":" + reasonCode);
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            events.add(token + ":failed");
        }

        @Override
        public void message(String topic, byte[] payload) {
            events.add(topic + "=" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause);
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within 20 s");
            }
            return e;
        }
    }

    @Test
    void publishesWithReasonCodesReceivesAndReportsALostConnection() throws Exception {
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).build().start()) {
            var collar = cloud.issueCollar("collar-hm");
            HiveMqBrokerSession.Options options = new HiveMqBrokerSession.Options(cloud.endpoint(), cloud.port(),
                    "collar-hm", collar.keyManagerFactory(), cloud.certificateAuthority().trustManagerFactory(),
                    Duration.ofSeconds(1200), Duration.ofSeconds(20), new InetSocketAddress("127.0.0.2", 0));
            Recorder rec = new Recorder();
            try (HiveMqBrokerSession session = new HiveMqBrokerSession(options)) {
                assertThrows(BrokerException.class, () -> session.publish(0, "x", new byte[0]), "not connected yet");
                session.connect(rec);
                String rejected = "$aws/things/collar-hm/shadow/name/config/get/rejected";
                session.subscribe(List.of(rejected));
                assertThrows(BrokerException.class, () -> session.subscribe(List.of("#")));

                session.publish(1, "pettysync/v1/collar-hm/telemetry",
                        TelemetryFrameCodec.encode(TelemetrySummary.of(0, 1767225600L, 300)));
                assertEquals("1:16", rec.next(), "0x10 no matching subscribers");
                session.publish(2, "pettysync/v1/collar-zz/telemetry", new byte[] {1});
                assertEquals("2:135", rec.next(), "0x87 not authorized");
                session.publish(3, "$aws/things/collar-hm/shadow/name/config/get", "{}".getBytes());
                String a = rec.next();
                String b = rec.next();
                assertTrue((a + b).contains("3:16") && (a + b).contains(rejected + "="), a + " / " + b);
                assertEquals(1, cloud.sink().counts("collar-hm").telemetryStored());

                cloud.stopBroker();
                rec.lost.get(20, TimeUnit.SECONDS);
            }
        }
    }
}
