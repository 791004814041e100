package com.pettysync.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.TestBroker;
import com.pettysync.agent.testing.TestPki;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uplink, its loop and the Paho session against HiveMQ CE on loopback with mutual TLS: frames arrive and
 * decode with the contract; a broker restart in the middle of a stream loses nothing; reconnects leak nothing.
 */
class UplinkBrokerTest {
    static final String THING = "collar-it0001";
    static final long T0 = 1_767_225_600L;
    static final String CYCLE_CLIENT = "collar-cycle01";

    @TempDir
    Path dir;
    TestPki pki;
    TestBroker broker;
    TestPki.Client collar;
    OutboxStore outbox;
    UplinkLoop loop;
    final Clock clock = Clock.systemUTC();

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        collar = pki.client(THING, TestPki.KeyFormat.EC_SEC1);
        broker = new TestBroker(dir.resolve("broker"), pki).start();
        outbox = OutboxStore.open(dir.resolve("data"), OutboxStore.Options.withCapacity(10_000), clock);
    }

    @AfterEach
    void tearDown() {
        if (loop != null) {
            loop.close();
        }
        outbox.close();
        broker.close();
    }

    PahoBrokerSession newSession() {
        return newSession(THING);
    }

    PahoBrokerSession newSession(String clientId) {
        try {
            return new PahoBrokerSession(new PahoBrokerSession.Options(broker.uri(), clientId,
                    PemTls.socketFactory(collar.certificate(), collar.privateKey(), pki.caPem, false), 30,
                    Duration.ofSeconds(5)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void startUplink(int perSecond) {
        Uplink uplink = new Uplink(outbox, this::newSession, e -> "pettysync/v1/" + THING + "/"
                + (e.kind() == FrameKind.TELEMETRY ? "telemetry" : "events"),
                Uplink.Settings.of(10, perSecond, Duration.ofMillis(100), Duration.ofSeconds(1)), clock,
                new SplittableRandom(1), null);
        loop = new UplinkLoop(uplink, clock).start();
    }

    void appendTelemetry() {
        outbox.append(FrameKind.TELEMETRY, (seq, ctx) -> TelemetryFrameCodec.encode(TelemetrySummary.of(seq,
                T0 + 300 * seq, 300).withDev(new DeviceStatus(80, 3900, 250, -60, ctx.backlog(),
                        ctx.outboxDropped() ? EnumSet.of(DeviceStatus.Flag.OUTBOX_DROPPED) : Set.of()))));
        loop.wake();
    }

    static void await(String what, BooleanSupplier condition) {
        com.pettysync.agent.testing.Await.until(what, condition);
    }

    TreeSet<Long> telemetrySeqsAtBroker() {
        return broker.received.stream().filter(r -> r.topic().endsWith("/telemetry"))
                .map(r -> TelemetryFrameCodec.decode(r.payload()).seq()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void framesArriveAndDecodeWithTheContract() throws Exception {
        startUplink(100);
        for (int i = 0; i < 20; i++) {
            appendTelemetry();
        }
        outbox.append(FrameKind.EVENT, (eseq, ctx) -> EventFrameCodec.encode(EventFrame.of(eseq, T0 + 10,
                EventType.GEOFENCE_EXIT, 1, 137563000, 1005018000)));
        loop.wake();
        await("outbox drained", () -> outbox.size() == 0);
        List<TestBroker.Received> got = broker.received;
        assertTrue(got.stream().allMatch(r -> r.clientId().equals(THING)));
        for (TestBroker.Received r : got) {
            if (r.topic().endsWith("/telemetry")) {
                TelemetrySummary s = TelemetryFrameCodec.decode(r.payload());
                TelemetryFrameCodec.validate(s);
                assertEquals(T0 + 300 * s.seq(), s.t0());
            } else {
                assertEquals("pettysync/v1/" + THING + "/events", r.topic());
                assertEquals(0, EventFrameCodec.decode(r.payload()).eseq());
            }
        }
        assertEquals(Stream.iterate(0L, n -> n + 1).limit(20).collect(Collectors.toCollection(TreeSet::new)),
                telemetrySeqsAtBroker());
    }

    @Test
    void brokerRestartMidStreamLosesNothing() throws Exception {
        startUplink(50);
        int total = 150;
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i++) {
                appendTelemetry();
                if (i == total / 3) {
                    // the broker goes away while frames are being made and sent
                    broker.stop();
                } else if (i == 2 * total / 3) {
                    broker.start();
                }
            }
        });
        producer.get(60, TimeUnit.SECONDS);
        await("outbox drained after restart", () -> outbox.size() == 0);
        TreeSet<Long> seqs = telemetrySeqsAtBroker();
        assertEquals(total, seqs.size(), "missing: " + missing(seqs, total));
        assertEquals(total - 1, seqs.last());
    }

    static List<Long> missing(Set<Long> seqs, int total) {
        return Stream.iterate(0L, n -> n + 1).limit(total).filter(n -> !seqs.contains(n)).toList();
    }

    /**
     * 50 reconnects in the default suite (each costs about 0.45 s on the 2-core build machine: TLS with client
     * certificates plus Paho's fixed 100 ms close); {@code -Dpettysync.reconnects=1000} runs the full 1,000.
     */
    @Test
    void reconnectsLeakNoThreadSocketOrMemory() throws Exception {
        int n = Integer.getInteger("pettysync.reconnects", 50);
        // warm up: the first connections load classes and start the broker's per-listener threads
        cycle(20);
        await("Paho threads of the warm-up gone", () -> pahoThreads().isEmpty());
        // only this test's client is counted: other tests in the JVM may still be winding down their clients
        int threadsBefore = Thread.activeCount();
        long fdsBefore = openFileDescriptors();
        long heapBefore = usedHeapAfterGc();
        cycle(n);
        await("Paho threads gone", () -> pahoThreads().isEmpty());
        int threadsAfter = Thread.activeCount();
        long fdsAfter = openFileDescriptors();
        long heapAfter = usedHeapAfterGc();
        System.out.printf("%d reconnects: threads %d -> %d, fds %d -> %d, heap %d KiB -> %d KiB, open client "
                + "connections %d%n", n, threadsBefore, threadsAfter, fdsBefore, fdsAfter, heapBefore >> 10,
                heapAfter >> 10, openClientConnections(broker.port));
        assertTrue(threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " -> " + threadsAfter);
        // the broker runs in this JVM, so the process's descriptor count moves a little on its own; a leak of one
        // socket per reconnect would add n. The precise check: no client connection to the broker is left open.
        assertTrue(fdsAfter - fdsBefore < n / 2, "file descriptors " + fdsBefore + " -> " + fdsAfter);
        assertEquals(0, openClientConnections(broker.port), "client TCP connections to the broker left open");
        assertTrue(heapAfter - heapBefore < 16L << 20, "heap " + (heapBefore >> 20) + " MiB -> "
                + (heapAfter >> 20) + " MiB");
    }

    static List<String> pahoThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(t -> t.startsWith("MQTT") && t.endsWith(CYCLE_CLIENT)).toList();
    }

    /** Connect, publish one QoS 1 frame, wait for its PUBACK, close: {@code n} times. */
    void cycle(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> puback = new CompletableFuture<>();
            try (PahoBrokerSession s = newSession(CYCLE_CLIENT)) {
                s.connect(new BrokerSession.Listener() {
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
                });
                s.publish(i, "pettysync/v1/" + THING + "/telemetry", new byte[] {(byte) i});
                assertTrue(puback.get(10, TimeUnit.SECONDS) < 0x80);
            }
        }
        broker.received.clear();
    }

    /**
     * TCP connections of this host whose remote port is {@code port} and that are not closed or in TIME_WAIT (the
     * normal state after an orderly close): a Paho socket that was never closed stays ESTABLISHED or CLOSE_WAIT.
     */
    /**
     * Open TCP connections of <em>this process</em> to {@code port} (the table is the whole network namespace's, so
     * only sockets whose inode is one of our file descriptors count: another process's connection whose ephemeral
     * port happens to equal the broker's port must not).
     */
    static long openClientConnections(int port) throws IOException {
        Set<String> ours = new java.util.HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        ours.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we listed
                }
            }
        }
        long open = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path f = Path.of(table);
            if (!Files.isReadable(f)) {
                continue;
            }
            List<String> lines = Files.readAllLines(f);
            for (String line : lines.subList(1, lines.size())) {
                String[] cols = line.trim().split("\\s+");
                String remote = cols[2];
                int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
                String state = cols[3];
                if (remotePort == port && !state.equals("06") && !state.equals("07") && ours.contains(cols[9])) {
                    open++;
                }
            }
        }
        return open;
    }

    static long openFileDescriptors() throws IOException {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(fd)) {
            return s.count();
        }
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
