package com.pettysync.simulator.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Measures the local IoT Core on this machine, in one process (broker + clients share the CPU):
 * <ol>
 *   <li>connect rate and heap per connection for N TLS collars (HiveMQ MQTT client, one shared Netty event loop);</li>
 *   <li>bare broker ceiling: N operator clients publish QoS 1 to a topic no service or sink looks at;</li>
 *   <li>end-to-end ceiling: the N collars publish valid telemetry frames; each PUBACK means validated and stored
 *       in SQLite; then the sink must hold every frame exactly once.</li>
 * </ol>
 * Each connection keeps at most {@code inflight} publishes outstanding; AWS's 100 publishes/s per connection stays
 * in force, so the offered load is at most N × 100 / s. Prints one JSON line.
 *
 * <p>Run: {@code ./mvnw -B -q -pl simulator -Pbench verify -Dbench.args="200 50 10"} (collars, frames per collar,
 * in-flight window).
 */
public final class IngestCeiling {
    private IngestCeiling() {
    }

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().split("\\s+");
        int collars = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int inflight = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("ingest-ceiling");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).build().start()) {
            TrustManagerFactory trust = cloud.certificateAuthority().trustManagerFactory();
            List<IssuedCredential> collarCreds = new ArrayList<>();
            List<IssuedCredential> opCreds = new ArrayList<>();
            for (int i = 0; i < collars; i++) {
                collarCreds.add(cloud.issueCollar(String.format("collar-%06d", i)));
                opCreds.add(cloud.issueOperator(String.format("bench-%06d", i)));
            }
            long heap0 = usedHeap();
            long t0 = System.nanoTime();
            List<Mqtt5AsyncClient> clients = connect(cloud, collarCreds, trust);
            double connectS = (System.nanoTime() - t0) / 1e9;
            long heap1 = usedHeap();
            List<Mqtt5AsyncClient> ops = connect(cloud, opCreds, trust);

            Result bare = publishAll(ops, frames, inflight, i -> "bench/" + i);
            disconnect(ops);
            Result e2e = publishAll(clients, frames, inflight,
                    i -> "pettysync/v1/" + String.format("collar-%06d", i) + "/telemetry");
            disconnect(clients);

            List<CollarCounts> counts = cloud.sink().counts();
            long stored = counts.stream().mapToLong(CollarCounts::telemetryStored).sum();
            long dup = counts.stream().mapToLong(CollarCounts::duplicates).sum();
            long missing = counts.stream().mapToLong(CollarCounts::missingTelemetry).sum();
            long invalid = counts.stream().mapToLong(CollarCounts::invalid).sum();
            System.out.printf(Locale.ROOT, "{\"collars\":%d,\"framesPerCollar\":%d,\"inflight\":%d,\"cpus\":%d,"
                    + "\"connectPerS\":%.0f,\"heapPerConnectionKiB\":%.1f,"
                    + "\"bare\":%s,\"endToEnd\":%s,\"stored\":%d,\"duplicates\":%d,\"missing\":%d,\"invalid\":%d,"
                    + "\"refused\":%s}%n", collars, frames, inflight, Runtime.getRuntime().availableProcessors(),
                    collars / connectS, (heap1 - heap0) / 1024.0 / collars, bare.json(), e2e.json(), stored, dup,
                    missing, invalid, cloud.refusals().snapshot().toString().replace("=", ":"));
        }
    }

    private record Result(long ok, long failed, double seconds, ConcurrentHistogram latencyUs) {
        String json() {
            return String.format(Locale.ROOT, "{\"pubacks\":%d,\"failed\":%d,\"perS\":%.0f,\"p50ms\":%.2f,"
                    + "\"p99ms\":%.2f,\"maxms\":%.2f}", ok, failed, ok / seconds,
                    latencyUs.getValueAtPercentile(50) / 1000.0, latencyUs.getValueAtPercentile(99) / 1000.0,
                    latencyUs.getMaxValue() / 1000.0);
        }
    }

    private static Result publishAll(List<Mqtt5AsyncClient> clients, int frames, int inflight,
            java.util.function.IntFunction<String> topic) throws InterruptedException {
        ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients.size() * frames);
        long t0 = System.nanoTime();
        List<Thread> drivers = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++) {
            Mqtt5AsyncClient client = clients.get(c);
            String t = topic.apply(c);
            Semaphore window = new Semaphore(inflight);
            Thread driver = Thread.ofVirtual().start(() -> {
                for (int seq = 0; seq < frames; seq++) {
                    window.acquireUninterruptibly();
                    byte[] frame = TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1767225600L + seq * 300L,
                            300));
                    long start = System.nanoTime();
                    client.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(frame).send()
                            .whenComplete((r, e) -> {
                                boolean good = e == null && r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q
                                        && !q.getPubAck().getReasonCode().isError();
                                (good ? ok : failed).incrementAndGet();
                                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                                window.release();
                                done.countDown();
                            });
                }
            });
            drivers.add(driver);
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("publishes did not complete within 10 minutes");
        }
        return new Result(ok.get(), failed.get(), (System.nanoTime() - t0) / 1e9, latency);
    }

    private static List<Mqtt5AsyncClient> connect(LocalIotCore cloud, List<IssuedCredential> creds,
            TrustManagerFactory trust) throws Exception {
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Semaphore connecting = new Semaphore(64);
        for (IssuedCredential cred : creds) {
            Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(cred.commonName())
                    .serverHost(cloud.endpoint()).serverPort(cloud.port())
                    .sslConfig(MqttClientSslConfig.builder().trustManagerFactory(trust)
                            .keyManagerFactory(cred.keyManagerFactory()).build())
                    .buildAsync();
            connecting.acquire();
            pending.add(client.connectWith().keepAlive(1200).send().whenComplete((a, e) -> connecting.release()));
            clients.add(client);
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        return clients;
    }

    private static void disconnect(List<Mqtt5AsyncClient> clients) throws Exception {
        CompletableFuture.allOf(clients.stream().map(Mqtt5AsyncClient::disconnect).toArray(CompletableFuture[]::new))
                .get(5, TimeUnit.MINUTES);
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
