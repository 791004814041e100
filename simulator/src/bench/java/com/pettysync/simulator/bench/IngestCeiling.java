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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The ingest path beside two bare brokers, in one run on this machine, with the same client (HiveMQ MQTT client,
 * one shared Netty event loop, TLS with a certificate per collar) and the same frames:
 * <ol>
 *   <li><b>mosquitto</b>: Debian's Mosquitto as a child process ({@link MosquittoBroker}: TLS,
 *       {@code require_certificate true}, the same CA) — "not measured" when it is not installed or does not
 *       start;</li>
 *   <li><b>embeddedBare</b>: our embedded broker, QoS 1 to a topic no service or sink looks at (operator
 *       certificates: the collar policy allows only the collar's own topics);</li>
 *   <li><b>embeddedSink</b>: our embedded broker, the collars' telemetry topic: each PUBACK means validated and
 *       stored (group commits); afterwards the sink must hold every frame exactly once.</li>
 * </ol>
 * All three client sets stay connected; after a warm-up phase of each (a whole phase), the configurations run in turn, one at a
 * time, for {@code rounds} rounds, the order rotated each round, so a change in the machine's load (other jobs)
 * falls on all three alike. Each connection keeps at most {@code inflight} publishes outstanding (the embedded
 * broker's 100 publishes/s per connection stays in force for both of its configurations). Reported per
 * configuration: each round's PUBACKs/s, the median, PUBACK p50/p99 of the median round, the CPU (this process,
 * plus Mosquitto's for its phases) per 1,000 PUBACKs, and the 1-minute load average before and after each phase;
 * then the ratio sink / bare (medians) against each bare broker. One human-readable table on stderr, one JSON line
 * on stdout.
 *
 * <p>Run: {@code ./mvnw -B -q -pl simulator -am -DskipTests -Dsimulator.bench verify -Dbench.args="1000 20 10 5"}
 * (collars, frames per collar per phase, in-flight window, rounds).
 */
public final class IngestCeiling {
    private static final long T0 = 1767225600L;

    private IngestCeiling() {
    }

    /** One configuration: its clients and where they publish. */
    private record Config(String name, List<Mqtt5AsyncClient> clients, IntFunction<String> topic,
            MosquittoBroker mosquitto) {
    }

    /** One phase's outcome. */
    private record Phase(int round, long ok, long failed, double seconds, double cpuMsPer1000, double loadBefore,
            double loadAfter, ConcurrentHistogram latencyUs) {
        double perSecond() {
            return ok / seconds;
        }

        String json() {
            return String.format(Locale.ROOT, "{\"round\":%d,\"pubacks\":%d,\"failed\":%d,\"perS\":%.0f,"
                    + "\"p50ms\":%.2f,\"p99ms\":%.2f,\"cpuMsPer1000\":%.0f,\"load\":[%.2f,%.2f]}", round, ok, failed,
                    perSecond(), latencyUs.getValueAtPercentile(50) / 1000.0,
                    latencyUs.getValueAtPercentile(99) / 1000.0, cpuMsPer1000, loadBefore, loadAfter);
        }
    }

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().split("\\s+");
        int collars = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int inflight = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int warmUp = frames; // a whole phase each: the JIT of broker and client settles before the measured rounds
        Path dir = Files.createTempDirectory("ingest-ceiling");
        double loadAtStart = ProcessCpu.loadAverage();
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start()) {
            TrustManagerFactory trust = cloud.certificateAuthority().trustManagerFactory();
            List<IssuedCredential> collarCreds = new ArrayList<>();
            List<IssuedCredential> opCreds = new ArrayList<>();
            for (int i = 0; i < collars; i++) {
                collarCreds.add(cloud.issueCollar(thing(i)));
                opCreds.add(cloud.issueOperator(String.format("bench-%06d", i)));
            }
            String mosquittoNotMeasured = null;
            MosquittoBroker mosquitto = null;
            Optional<Path> exe = MosquittoBroker.executable();
            if (exe.isEmpty()) {
                mosquittoNotMeasured = "not measured: mosquitto is not installed (" + MosquittoBroker.EXECUTABLES
                        + ")";
            } else {
                try {
                    Path mdir = Files.createDirectories(dir.resolve("mosquitto"));
                    mosquitto = MosquittoBroker.start(exe.get(), mdir, cloud.certificateAuthority());
                } catch (java.io.IOException e) {
                    mosquittoNotMeasured = "not measured: " + e.getMessage();
                }
            }
            try {
                long heap0 = usedHeap();
                long t0 = System.nanoTime();
                List<Mqtt5AsyncClient> sinkClients = connect(cloud.endpoint(), cloud.port(), collarCreds, trust);
                double connectS = (System.nanoTime() - t0) / 1e9;
                long heap1 = usedHeap();
                List<Config> configs = new ArrayList<>();
                if (mosquitto != null) {
                    configs.add(new Config("mosquitto", connect(mosquitto.host(), mosquitto.port(), collarCreds,
                            trust), i -> "bench/" + i, mosquitto));
                }
                configs.add(new Config("embeddedBare", connect(cloud.endpoint(), cloud.port(), opCreds, trust),
                        i -> "bench/" + i, null));
                configs.add(new Config("embeddedSink", sinkClients,
                        i -> "pettysync/v1/" + thing(i) + "/telemetry", null));

                for (Config c : configs) {
                    publishAll(c, 0, warmUp, inflight, -1);
                }
                Map<String, List<Phase>> phases = new LinkedHashMap<>();
                configs.forEach(c -> phases.put(c.name(), new ArrayList<>()));
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < configs.size(); k++) {
                        Config c = configs.get((r + k) % configs.size());
                        phases.get(c.name()).add(publishAll(c, warmUp + (long) r * frames, frames, inflight, r));
                    }
                }
                for (Config c : configs) {
                    disconnect(c.clients());
                }

                List<CollarCounts> counts = cloud.sink().counts();
                long stored = counts.stream().mapToLong(CollarCounts::telemetryStored).sum();
                long expected = (long) collars * (warmUp + (long) rounds * frames);
                long dup = cloud.sink().duplicateRows();
                long missing = counts.stream().mapToLong(CollarCounts::missingTelemetry).sum();
                long invalid = counts.stream().mapToLong(CollarCounts::invalid).sum();

                double sink = median(phases.get("embeddedSink"));
                double bareEmbedded = median(phases.get("embeddedBare"));
                String ratioMosquitto = mosquitto == null ? "\"" + mosquittoNotMeasured + "\""
                        : String.format(Locale.ROOT, "%.3f", sink / median(phases.get("mosquitto")));
                String ratioEmbedded = String.format(Locale.ROOT, "%.3f", sink / bareEmbedded);

                System.err.printf(Locale.ROOT, "%d collars, %d frames each per phase, in-flight %d, %d rounds"
                        + " (+ warm-up %d), %d CPUs, load average %.2f at start%n", collars, frames, inflight,
                        rounds, warmUp, Runtime.getRuntime().availableProcessors(), loadAtStart);
                for (Map.Entry<String, List<Phase>> e : phases.entrySet()) {
                    System.err.printf(Locale.ROOT, "%-13s median %6.0f PUBACKs/s  rounds %s%n", e.getKey(),
                            median(e.getValue()), e.getValue().stream().map(p -> String.format(Locale.ROOT,
                                    "%.0f/s (cpu %.0f ms/1000, load %.1f→%.1f)", p.perSecond(), p.cpuMsPer1000(),
                                    p.loadBefore(), p.loadAfter())).collect(Collectors.joining(", ")));
                }
                if (mosquitto == null) {
                    System.err.println("mosquitto     " + mosquittoNotMeasured);
                }
                System.err.printf(Locale.ROOT, "sink / bare: mosquitto %s, embedded %s; stored %d of %d, %d"
                        + " duplicate rows, %d missing, %d invalid%n", ratioMosquitto, ratioEmbedded, stored,
                        expected, dup, missing, invalid);

                String perConfig = phases.entrySet().stream().map(e -> String.format(Locale.ROOT,
                        "\"%s\":{\"medianPerS\":%.0f,\"phases\":[%s]}", e.getKey(), median(e.getValue()),
                        e.getValue().stream().map(Phase::json).collect(Collectors.joining(","))))
                        .collect(Collectors.joining(","));
                System.out.printf(Locale.ROOT, "{\"collars\":%d,\"framesPerPhase\":%d,\"inflight\":%d,"
                        + "\"rounds\":%d,\"cpus\":%d,\"loadAtStart\":%.2f,\"loadAtEnd\":%.2f,\"connectPerS\":%.0f,"
                        + "\"heapPerConnectionKiB\":%.1f,%s%s,\"sinkOverBare\":{\"mosquitto\":%s,\"embedded\":%s},"
                        + "\"stored\":%d,\"expected\":%d,\"duplicateRows\":%d,\"missing\":%d,\"invalid\":%d,"
                        + "\"refused\":%s}%n", collars, frames, inflight, rounds,
                        Runtime.getRuntime().availableProcessors(), loadAtStart, ProcessCpu.loadAverage(),
                        collars / connectS, (heap1 - heap0) / 1024.0 / collars,
                        mosquitto == null ? "\"mosquitto\":\"" + mosquittoNotMeasured + "\"," : "", perConfig,
                        ratioMosquitto, ratioEmbedded, stored, expected, dup, missing, invalid,
                        cloud.refusals().snapshot().toString().replace("=", ":"));
            } finally {
                if (mosquitto != null) {
                    mosquitto.close();
                }
            }
        }
    }

    private static String thing(int i) {
        return String.format("collar-%06d", i);
    }

    private static double median(List<Phase> phases) {
        double[] v = phases.stream().mapToDouble(Phase::perSecond).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Every client publishes {@code frames} telemetry frames with seq {@code firstSeq}…, at most inflight open. */
    private static Phase publishAll(Config config, long firstSeq, int frames, int inflight, int round)
            throws InterruptedException {
        List<Mqtt5AsyncClient> clients = config.clients();
        ConcurrentHistogram latency = new ConcurrentHistogram(3_600_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients.size() * frames);
        double loadBefore = ProcessCpu.loadAverage();
        long cpu0 = cpuMillis(config);
        long t0 = System.nanoTime();
        for (int c = 0; c < clients.size(); c++) {
            Mqtt5AsyncClient client = clients.get(c);
            String t = config.topic().apply(c);
            Semaphore window = new Semaphore(inflight);
            Thread.ofVirtual().start(() -> {
                for (long seq = firstSeq; seq < firstSeq + frames; seq++) {
                    window.acquireUninterruptibly();
                    byte[] frame = TelemetryFrameCodec.encode(TelemetrySummary.of(seq, T0 + seq * 300L, 300));
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
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(config.name() + ": publishes did not complete within 10 minutes");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = cpuMillis(config) - cpu0;
        return new Phase(round, ok.get(), failed.get(), seconds, ok.get() == 0 ? 0 : cpu * 1000.0 / ok.get(),
                loadBefore, ProcessCpu.loadAverage(), latency);
    }

    /** This process's CPU time, plus Mosquitto's for its configuration, in milliseconds. */
    private static long cpuMillis(Config config) {
        long own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        return config.mosquitto() == null ? own : own + config.mosquitto().cpuMillis();
    }

    private static List<Mqtt5AsyncClient> connect(String host, int port, List<IssuedCredential> creds,
            TrustManagerFactory trust) throws Exception {
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Semaphore connecting = new Semaphore(64);
        for (IssuedCredential cred : creds) {
            Mqtt5AsyncClient client = MqttClient.builder().useMqttVersion5().identifier(cred.commonName())
                    .serverHost(host).serverPort(port)
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
