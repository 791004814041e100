package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.PublishOffset;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.drivers.twin.DogBehaviourModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of {@value #COLLARS} virtual collars (the agent's own aggregator, outbox and uplink on one
 * {@link FleetScheduler}) whose windows all close on the same second spreads the publishes of that window over the
 * minute after it (contract §8's publish offset), instead of sending them all on the boundary. The broker is a fake
 * that acknowledges at once and notes the simulated second of each publish.
 */
class FleetPublishOffsetTest {
    static final int COLLARS = 200;
    /** A 300 s boundary. */
    static final Instant BOUNDARY = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dir;

    /** Window start → thing → simulated second of the first publish of that window's frame. */
    final Map<Long, Map<String, Long>> publishedAt = new ConcurrentHashMap<>();
    /** Window start → counted down once per collar that published that window's frame. */
    final Map<Long, CountDownLatch> published = new ConcurrentHashMap<>();

    CountDownLatch window(long t0) {
        return published.computeIfAbsent(t0, k -> new CountDownLatch(COLLARS));
    }

    /** Connected at once; acknowledges every publish at once; notes when each collar publishes its first frame. */
    final class RecordingSession implements BrokerSession {
        final String thing;
        final SimulatedClock clock;
        Listener listener;

        RecordingSession(String thing, SimulatedClock clock) {
            this.thing = thing;
            this.clock = clock;
        }

        @Override
        public void connect(Listener l) {
            listener = l;
        }

        @Override
        public void publish(long token, String topic, byte[] payload) throws BrokerException {
            long second = clock.instant().getEpochSecond();
            if (topic.endsWith("/telemetry")) {
                long t0 = TelemetryFrameCodec.decode(payload).t0();
                if (publishedAt.computeIfAbsent(t0, k -> new ConcurrentHashMap<>()).putIfAbsent(thing, second)
                        == null) {
                    window(t0).countDown();
                }
            }
            listener.published(token, 0, null);
        }

        @Override
        public void subscribe(List<String> topicFilters) {
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    @Timeout(120)
    void aFleetSpreadsOneWindowsPublishesOverTheMinuteAfterItsEnd() throws Exception {
        // ×10: the fleet is built in the first 100 simulated s (10 s real), the minute after the boundary takes 6 s
        // (slow enough that the 200 window commits at the boundary, on one scheduler thread of a loaded machine, do
        // not bunch the publishes up); the outboxes on tmpfs where there is one, as the fleet simulator puts them
        SimulatedClock clock = new SimulatedClock(BOUNDARY.minusSeconds(100), 10);
        Path outboxes = Files.isDirectory(Path.of("/dev/shm")) ? Files.createTempDirectory(Path.of("/dev/shm"),
                "publish-offset-test") : dir;
        FleetMetrics metrics = new FleetMetrics();
        AtomicInteger connects = new AtomicInteger();
        VirtualCollar.Fleet fleet = new VirtualCollar.Fleet() {
            @Override
            public void connect(VirtualCollar collar) {
                RecordingSession inner = new RecordingSession(collar.thing, clock);
                CollarSession session = CollarSession.pending(inner, metrics);
                inner.connect(session.relay);
                connects.incrementAndGet();
                collar.scheduler.post(() -> collar.connectDone(session));
            }

            @Override
            public FleetMetrics metrics() {
                return metrics;
            }
        };
        Uplink.Settings settings = new Uplink.Settings(10, 100, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofMinutes(5));
        List<VirtualCollar> collars = new ArrayList<>();
        try (ShardOutboxStore store = ShardOutboxStore.open(outboxes.resolve("outboxes.db"),
                com.pettysync.agent.config.AgentConfig.Outbox.DEFAULT_CAPACITY, clock);
                FleetScheduler scheduler = new FleetScheduler("offset-fleet", clock).start()) {
            for (int i = 0; i < COLLARS; i++) {
                String thing = FleetSimulation.thingName(i);
                VirtualCollar c = new VirtualCollar(thing, i, () -> store.open(thing), clock,
                        new DogModelWindowSource(new DogBehaviourModel(i, 52.5, 13.4)), settings,
                        new Firmware(1043, 1), fleet);
                collars.add(c);
                scheduler.add(c);
            }
            // the first boundary at which every collar runs (the next one, if building took longer than planned)
            long built = clock.instant().getEpochSecond();
            long end = Math.floorDiv(built, 300) * 300 + 300;
            CountDownLatch all = window(end - 300);
            assertTrue(all.await(60, TimeUnit.SECONDS), "every collar published the window ending "
                    + Instant.ofEpochSecond(end) + ": " + (COLLARS - all.getCount()));
            CountDownLatch stopped = new CountDownLatch(1);
            scheduler.post(() -> {
                collars.forEach(VirtualCollar::stop);
                stopped.countDown();
            });
            assertTrue(stopped.await(30, TimeUnit.SECONDS));
            analyse(end);
        } finally {
            if (!outboxes.equals(dir)) {
                try (var files = Files.walk(outboxes)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        assertEquals(COLLARS, connects.get());
    }

    void analyse(long end) {
        Map<String, Long> at = publishedAt.get(end - 300);
        TreeSet<Long> seconds = new TreeSet<>();
        int offsetUnder10 = 0;
        int within10 = 0;
        for (int i = 0; i < COLLARS; i++) {
            String thing = FleetSimulation.thingName(i);
            long second = at.get(thing);
            int o = PublishOffset.seconds(thing, 300);
            assertTrue(second >= end + o, thing + " published at +" + (second - end) + " s, before its offset " + o);
            seconds.add(second - end);
            offsetUnder10 += o < 10 ? 1 : 0;
            within10 += second < end + 10 ? 1 : 0;
        }
        // without the offset all 200 would go in the boundary's first second; with it only those whose offset is
        // under 10 s may go in the first 10 s (about a sixth of them)
        assertTrue(within10 <= offsetUnder10 && offsetUnder10 < COLLARS / 4,
                within10 + " published in the first 10 s, " + offsetUnder10 + " have an offset under 10 s");
        System.out.println("publish seconds after the boundary (" + seconds.size() + " distinct): " + seconds);
        assertTrue(seconds.first() >= 0, "none before t0 + dur");
        assertTrue(seconds.size() >= 30, "200 collars publish on at least 30 distinct seconds: " + seconds);
    }
}
