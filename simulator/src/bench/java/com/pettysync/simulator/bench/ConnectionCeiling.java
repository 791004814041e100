package com.pettysync.simulator.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.fleet.CollarTls;
import com.pettysync.simulator.fleet.CountingTrust;
import com.pettysync.simulator.fleet.HiveMqBrokerSession;
import com.pettysync.simulator.fleet.ImpairedLink;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * Connection cost of the MQTT 5 clients in one process, against the local IoT Core (same process): connects
 * {@code n} TLS clients with Eclipse Paho (the agent's client), the bare HiveMQ MQTT client, or the fleet's
 * {@link HiveMqBrokerSession}, keeps them all open, and reports CPU per connect (process CPU time over the connect
 * phase divided by the connects: <b>both ends</b>, client and broker, because both run in this process), connects/s,
 * threads, memory maps and heap per connection — and the ceiling those imply under this machine's per-process limits
 * (~65,530 memory maps, 20,000 open files). Threads and maps are counted for the whole process (broker included)
 * before and after, so the per-client figures are differences.
 *
 * <p>{@code fleet} connects {@code window} clients at a time (as the fleet does) and then, when asked, measures
 * reconnects: every session is closed and connected again — with a new session per collar (no TLS state kept: a full
 * handshake), and with {@link HiveMqBrokerSession#next()} (the collar's client and TLS context kept: the broker
 * resumes the TLS 1.3 session), twice each way; and last the bytes on the wire per connect + disconnect, full
 * against resumed, through a counting relay ({@link ImpairedLink}, unimpaired). Full handshakes are counted by the client's trust manager (a resumed
 * TLS 1.3 handshake checks no server certificate).
 *
 * <pre>
 * simulator/src/bench/run-bench.sh ConnectionCeiling fleet 2000 registry 32 reconnect
 * simulator/src/bench/run-bench.sh ConnectionCeiling paho 500        (or hivemq 500)
 * args: paho|hivemq|fleet  n  [registry|ca (default registry)]  [window (fleet, default 32)]  [reconnect]
 * </pre>
 */
public final class ConnectionCeiling {
    private ConnectionCeiling() {
    }

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().split("\\s+");
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        boolean registry = args.length <= 2 || !args[2].equals("ca");
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        boolean reconnect = args.length > 4 && args[4].equals("reconnect");
        Path dir = Files.createTempDirectory("connection-ceiling");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).registryAuthentication(registry)
                .controlPlane(false).build().start()) {
            List<IssuedCredential> creds = new ArrayList<>();
            long issue0 = cpuNanos();
            for (int i = 0; i < n; i++) {
                creds.add(cloud.issueCollar(String.format("collar-%06d", i)));
            }
            double issueMs = (cpuNanos() - issue0) / 1e6 / n;
            // as the fleet has it: the broker's chain checked in full once, then only its validity (CollarTls);
            // counted outside, so that the count is of full handshakes
            CountingTrust trust = new CountingTrust(
                    CollarTls.trustOnce(cloud.certificateAuthority().trustManagerFactory()));
            TrustManagerFactory fleetTrust = trust.factory();
            System.gc();
            int threads0 = threads();
            long maps0 = maps();
            long fds0 = fds();
            long heap0 = heap();
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            List<AutoCloseable> open = new ArrayList<>();
            List<HiveMqBrokerSession> sessions = new ArrayList<>();
            String failure = "";
            int connected = 0;
            if (kind.equals("fleet")) {
                connected = connectFleet(cloud, creds, fleetTrust, window, sessions, null);
                if (connected < n) {
                    failure = "only " + connected + " of " + n + " connected";
                }
            } else {
                for (int i = 0; i < n; i++) {
                    String thing = String.format("collar-%06d", i);
                    try {
                        open.add(kind.equals("paho") ? connectPaho(cloud, creds.get(i), thing)
                                : connectHiveMq(cloud, creds.get(i), thing));
                        connected++;
                    } catch (Throwable e) {
                        failure = e.toString().replace('"', '\'');
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (cpuNanos() - cpu0) / 1e6;
            long fullHandshakes = trust.serverChecks();
            System.gc();
            int threads = threads() - threads0;
            long maps = maps() - maps0;
            long fds = fds() - fds0;
            long heap = heap() - heap0;
            double mapsPer = maps / (double) Math.max(1, connected);
            double fdsPer = fds / (double) Math.max(1, connected);
            long ceilingByMaps = mapsPer > 0 ? (long) ((65_530 - maps0) / mapsPer) : -1;
            long ceilingByFiles = fdsPer > 0 ? (long) ((20_000 - fds0) / fdsPer) : -1;
            System.out.printf(Locale.ROOT, "{\"client\":\"%s\",\"clientTls\":\"%s\",\"auth\":\"%s\",\"asked\":%d,\"connected\":%d,"
                    + "\"seconds\":%.1f,\"connectPerS\":%.0f,\"cpuMsPerConnect\":%.2f,\"issueCpuMsPerCollar\":%.2f,"
                    + "\"fullHandshakes\":%d,\"threadsPerClient\":%.2f,\"mapsPerClient\":%.2f,\"fdsPerClient\":%.2f,"
                    + "\"heapKiBPerClient\":%.1f,\"ceilingByMaps\":%d,\"ceilingByFiles\":%d,\"failure\":\"%s\"}%n",
                    kind, io.netty.handler.ssl.OpenSsl.isAvailable() ? "OpenSSL " + io.netty.handler.ssl.OpenSsl
                            .versionString() : "JDK", registry ? "registry" : "ca", n, connected, seconds, connected / seconds,
                    cpuMs / Math.max(1, connected), issueMs, kind.equals("fleet") ? fullHandshakes : -1,
                    threads / (double) Math.max(1, connected), mapsPer, fdsPer,
                    heap / 1024.0 / Math.max(1, connected), ceilingByMaps, ceilingByFiles, failure);
            if (kind.equals("fleet") && reconnect) {
                // the same collars reconnect: first each with a new session (today's full handshake), then each
                // with its own session again (TLS context kept: resumption)
                closeAll(sessions);
                List<HiveMqBrokerSession> fresh = new ArrayList<>();
                reportReconnect("new-session", cloud, creds, trust, fleetTrust, window, fresh, null);
                closeAll(fresh);
                List<HiveMqBrokerSession> resumed = new ArrayList<>();
                reportReconnect("next-session", cloud, creds, trust, fleetTrust, window, resumed, fresh);
                closeAll(resumed);
                // and once more each way, warm (the first passes may still have JIT and cache warm-up in them)
                List<HiveMqBrokerSession> fresh2 = new ArrayList<>();
                reportReconnect("new-session-2", cloud, creds, trust, fleetTrust, window, fresh2, null);
                closeAll(fresh2);
                sessions = new ArrayList<>();
                reportReconnect("next-session-2", cloud, creds, trust, fleetTrust, window, sessions, resumed);
                closeAll(sessions);
                sessions = new ArrayList<>();
                wireBytes(cloud, creds.subList(0, Math.min(200, creds.size())), fleetTrust, window);
            }
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort at the end of a benchmark
                }
            }
            closeAll(sessions);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void reportReconnect(String label, LocalIotCore cloud, List<IssuedCredential> creds,
            CountingTrust trust, TrustManagerFactory fleetTrust, int window, List<HiveMqBrokerSession> made, List<HiveMqBrokerSession> reuse)
            throws InterruptedException {
        System.gc();
        long full0 = trust.serverChecks();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        int connected = connectFleet(cloud, creds, fleetTrust, window, made, reuse);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (cpuNanos() - cpu0) / 1e6;
        System.out.printf(Locale.ROOT, "{\"reconnect\":\"%s\",\"connected\":%d,\"seconds\":%.1f,\"connectPerS\":%.0f,"
                + "\"cpuMsPerConnect\":%.2f,\"fullHandshakes\":%d}%n", label, connected, seconds, connected / seconds,
                cpuMs / Math.max(1, connected), trust.serverChecks() - full0);
    }

    /**
     * Bytes on the wire (both directions, TCP payload: TLS records) per connect + disconnect, full handshake against
     * resumed, through a relay that counts what it forwards (the MQTT CONNECT/CONNACK/DISCONNECT and the server's
     * NewSessionTicket are in both figures).
     */
    private static void wireBytes(LocalIotCore cloud, List<IssuedCredential> creds, TrustManagerFactory trust,
            int window) throws Exception {
        try (ImpairedLink link = new ImpairedLink("127.0.0.1",
                new java.net.InetSocketAddress("127.0.0.1", cloud.port()))) {
            List<HiveMqBrokerSession> first = new ArrayList<>();
            long b0 = link.stats().bytes();
            int full = connectFleet(cloud, link.port(), creds, trust, window, first, null);
            closeAll(first);
            long b1 = link.stats().bytes();
            List<HiveMqBrokerSession> again = new ArrayList<>();
            int resumed = connectFleet(cloud, link.port(), creds, trust, window, again, first);
            closeAll(again);
            long b2 = link.stats().bytes();
            System.out.printf(Locale.ROOT, "{\"wireBytes\":{\"collars\":%d,\"fullHandshakePerConnect\":%.0f,"
                    + "\"resumedPerConnect\":%.0f}}%n", creds.size(), (b1 - b0) / (double) Math.max(1, full),
                    (b2 - b1) / (double) Math.max(1, resumed));
        }
    }

    /** Connects every collar through {@link HiveMqBrokerSession}, {@code window} at a time; returns how many made it. */
    private static int connectFleet(LocalIotCore cloud, List<IssuedCredential> creds, TrustManagerFactory trust,
            int window, List<HiveMqBrokerSession> made, List<HiveMqBrokerSession> reuse) throws InterruptedException {
        return connectFleet(cloud, cloud.port(), creds, trust, window, made, reuse);
    }

    private static int connectFleet(LocalIotCore cloud, int port, List<IssuedCredential> creds,
            TrustManagerFactory trust, int window, List<HiveMqBrokerSession> made, List<HiveMqBrokerSession> reuse)
            throws InterruptedException {
        Semaphore slots = new Semaphore(window);
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < creds.size(); i++) {
            HiveMqBrokerSession s = reuse != null ? reuse.get(i).next()
                    : new HiveMqBrokerSession(new HiveMqBrokerSession.Options(cloud.endpoint(), port,
                            String.format("collar-%06d", i), CollarTls.keyManagers(creds.get(i)), trust,
                            Duration.ofSeconds(1200), Duration.ofSeconds(30), null));
            made.add(s);
            slots.acquire();
            all.add(s.connectAsync(BrokerSession.Listener.NONE).whenComplete((v, e) -> {
                slots.release();
                if (e == null) {
                    ok.incrementAndGet();
                } else {
                    firstError.compareAndSet(null, e);
                }
            }));
        }
        for (CompletableFuture<Void> f : all) {
            try {
                f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // counted above
            }
        }
        if (firstError.get() != null) {
            System.out.println("first connect failure: " + firstError.get());
        }
        return ok.get();
    }

    private static void closeAll(List<HiveMqBrokerSession> sessions) {
        sessions.parallelStream().forEach(HiveMqBrokerSession::close);
    }

    private static AutoCloseable connectPaho(LocalIotCore cloud, IssuedCredential cred, String thing)
            throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(cred.keyManagerFactory().getKeyManagers(),
                cloud.certificateAuthority().trustManagerFactory().getTrustManagers(), null);
        MqttAsyncClient c = new MqttAsyncClient("ssl://" + cloud.endpoint() + ":" + cloud.port(), thing,
                new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(ssl.getSocketFactory());
        o.setKeepAliveInterval(1200);
        o.setCleanStart(true);
        c.connect(o).waitForCompletion(30_000);
        return () -> {
            c.disconnectForcibly(0, 1000, false);
            c.close(true);
        };
    }

    private static AutoCloseable connectHiveMq(LocalIotCore cloud, IssuedCredential cred, String thing)
            throws Exception {
        Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(thing)
                .serverHost(cloud.endpoint()).serverPort(cloud.port())
                .sslConfig(MqttClientSslConfig.builder().keyManagerFactory(cred.keyManagerFactory())
                        .trustManagerFactory(cloud.certificateAuthority().trustManagerFactory()).build())
                .buildAsync();
        c.connectWith().keepAlive(1200).send().get(30, TimeUnit.SECONDS);
        return () -> c.disconnect().get(5, TimeUnit.SECONDS);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long maps() throws java.io.IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    private static long fds() throws java.io.IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
