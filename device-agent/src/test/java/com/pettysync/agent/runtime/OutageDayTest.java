package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.agent.uplink.PahoBrokerSession;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowAggregator;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 24 hours of simulated time (288 windows of 300 s) with the broker down from hour 6 to hour 12, against the real
 * broker over mutual TLS. The agent's decisions run on a manual clock; the network is real. Every window's frame
 * must arrive (exactly once after removing duplicates by seq), and the drain after the outage must keep to
 * ≤ 10 publishes per simulated second, oldest first.
 *
 * <p>Part of the default suite: about 25–75 s on the 2-core build machine (mostly broker stop/start and real round trips).
 */
class OutageDayTest {
    static final String THING = "collar-day0001";

    @TempDir
    Path dir;

    record Sent(Instant at, long token) {
    }

    @Test
    void dayWithSixHourOutageDeliversEveryWindowOnce() throws Exception {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        Instant start = clock.instant();
        Instant outageStart = start.plus(Duration.ofHours(6));
        Instant outageEnd = start.plus(Duration.ofHours(12));
        Instant end = start.plus(Duration.ofHours(24));
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        TestPki.Client collar = pki.client(THING, TestPki.KeyFormat.RSA_PKCS8);
        var tls = PemTls.socketFactory(collar.certificate(), collar.privateKey(), pki.caPem, false);
        List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
        try (TestBroker broker = new TestBroker(dir.resolve("broker"), pki).start();
                OutboxStore outbox = OutboxStore.open(dir.resolve("data"), OutboxStore.Options.withCapacity(10_000),
                        clock)) {
            Supplier<BrokerSession> sessions = () -> recording(new PahoBrokerSession(new PahoBrokerSession.Options(
                    broker.uri(), THING, tls, 1200, Duration.ofSeconds(5))), clock, sent);
            Uplink uplink = new Uplink(outbox, sessions, e -> "pettysync/v1/" + THING + "/telemetry",
                    Uplink.Settings.of(10, 10, Duration.ofSeconds(1), Duration.ofSeconds(120)), clock,
                    new SplittableRandom(6), null);
            SimulatedWindowSource sim = new SimulatedWindowSource(THING, 137563000, 1005018000);
            WindowAggregator windows = new WindowAggregator(outbox, sim, () -> ClockSource.NTP, clock, () -> 300,
                    () -> false, new Firmware(1, 0));
            boolean down = false;
            while (!clock.instant().isAfter(end) || outbox.size() > 0) {
                Instant now = clock.instant();
                if (!down && !now.isBefore(outageStart) && now.isBefore(outageEnd)) {
                    broker.stop();
                    down = true;
                } else if (down && !now.isBefore(outageEnd)) {
                    broker.start();
                    down = false;
                }
                if (!now.isAfter(end)) {
                    windows.closeIfDue();
                }
                Instant next = uplink.tick();
                // let the real broker answer what was just sent before simulated time moves on
                Await.until("PUBACKs", () -> uplink.tick() != null && (uplink.status().inFlight() == 0
                        || !uplink.status().connected()));
                next = uplink.tick();
                Instant wake = min(next, !windows.nextClose().isAfter(end) ? windows.nextClose()
                        : !now.isAfter(end) ? end.plusMillis(1) : Instant.MAX);
                if (now.isBefore(outageStart)) {
                    wake = min(wake, outageStart);
                } else if (now.isBefore(outageEnd)) {
                    wake = min(wake, outageEnd);
                }
                clock.set(wake.isAfter(now) ? wake : now.plusMillis(1));
            }
            uplink.stop();
            Map<Long, Long> bySeq = broker.received.stream().collect(Collectors.groupingBy(
                    r -> TelemetryFrameCodec.decode(r.payload()).seq(), TreeMap::new, Collectors.counting()));
            assertEquals(288, bySeq.size(), "one frame per window");
            assertEquals(0L, ((TreeMap<Long, Long>) bySeq).firstKey());
            assertEquals(287L, ((TreeMap<Long, Long>) bySeq).lastKey());
            Map<Long, Long> perSecond = sent.stream().collect(Collectors.groupingBy(s -> s.at().getEpochSecond(),
                    Collectors.counting()));
            long busiest = perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(busiest <= 10, "publishes in one simulated second: " + busiest);
            List<Long> afterOutage = sent.stream().filter(s -> !s.at().isBefore(outageEnd)).map(Sent::token)
                    .limit(72).toList();
            List<Long> sorted = new ArrayList<>(afterOutage);
            Collections.sort(sorted);
            assertEquals(sorted, afterOutage, "backlog drained oldest first");
            System.out.printf("24 h day: %d frames, %d publishes, busiest simulated second %d, %d duplicates%n",
                    bySeq.size(), broker.received.size(), busiest, broker.received.size() - bySeq.size());
        }
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Records the simulated time of every publish. */
    static BrokerSession recording(BrokerSession s, MutableClock clock, List<Sent> sent) {
        return new BrokerSession() {
            @Override
            public void connect(Listener listener) throws BrokerException {
                s.connect(listener);
            }

            @Override
            public void publish(long token, String topic, byte[] payload) throws BrokerException {
                sent.add(new Sent(clock.instant(), token));
                s.publish(token, topic, payload);
            }

            @Override
            public void subscribe(List<String> topicFilters) throws BrokerException {
                s.subscribe(topicFilters);
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
