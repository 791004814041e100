package com.pettysync.simulator.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/**
 * Connection cost of the two MQTT 5 clients in one process, against the local IoT Core (same process): connects
 * {@code n} TLS clients with Eclipse Paho (the agent's client) or the HiveMQ MQTT client (the fleet's), keeps them all
 * open, and reports threads, memory maps and heap per connection — and the ceiling those imply under this machine's
 * per-process limits (~65,530 memory maps, 20,000 open files). Threads and maps are counted for the whole process
 * (broker included) before and after, so the per-client figures are differences.
 *
 * <p>Run: {@code ./mvnw -B -q -pl simulator -Pbench verify -Dbench.main=com.pettysync.simulator.bench.ConnectionCeiling
 * -Dbench.args="paho 500"} (or {@code hivemq 500}).
 */
public final class ConnectionCeiling {
    private ConnectionCeiling() {
    }

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().split("\\s+");
        String kind = args[0];
        int n = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("connection-ceiling");
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).build().start()) {
            List<IssuedCredential> creds = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                creds.add(cloud.issueCollar(String.format("collar-%06d", i)));
            }
            System.gc();
            int threads0 = threads();
            long maps0 = maps();
            long fds0 = fds();
            long heap0 = heap();
            long t0 = System.nanoTime();
            List<AutoCloseable> open = new ArrayList<>();
            String failure = "";
            int connected = 0;
            for (int i = 0; i < n; i++) {
                String thing = String.format("collar-%06d", i);
                try {
                    if (kind.equals("paho")) {
                        SSLContext ssl = SSLContext.getInstance("TLS");
                        ssl.init(creds.get(i).keyManagerFactory().getKeyManagers(),
                                cloud.certificateAuthority().trustManagerFactory().getTrustManagers(), null);
                        MqttAsyncClient c = new MqttAsyncClient("ssl://" + cloud.endpoint() + ":" + cloud.port(),
                                thing, new MemoryPersistence());
                        MqttConnectionOptions o = new MqttConnectionOptions();
                        o.setSocketFactory(ssl.getSocketFactory());
                        o.setKeepAliveInterval(1200);
                        o.setCleanStart(true);
                        c.connect(o).waitForCompletion(30_000);
                        open.add(() -> {
                            c.disconnectForcibly(0, 1000, false);
                            c.close(true);
                        });
                    } else {
                        Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(thing)
                                .serverHost(cloud.endpoint()).serverPort(cloud.port())
                                .sslConfig(MqttClientSslConfig.builder()
                                        .keyManagerFactory(creds.get(i).keyManagerFactory())
                                        .trustManagerFactory(cloud.certificateAuthority().trustManagerFactory()).build())
                                .buildAsync();
                        c.connectWith().keepAlive(1200).send().get(30, TimeUnit.SECONDS);
                        open.add(() -> c.disconnect().get(5, TimeUnit.SECONDS));
                    }
                    connected++;
                } catch (Throwable e) {
                    failure = e.toString().replace('"', '\'');
                    break;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.gc();
            int threads = threads() - threads0;
            long maps = maps() - maps0;
            long fds = fds() - fds0;
            long heap = heap() - heap0;
            double mapsPer = maps / (double) Math.max(1, connected);
            double fdsPer = fds / (double) Math.max(1, connected);
            long ceilingByMaps = mapsPer > 0 ? (long) ((65_530 - maps0) / mapsPer) : -1;
            long ceilingByFiles = fdsPer > 0 ? (long) ((20_000 - fds0) / fdsPer) : -1;
            System.out.printf(Locale.ROOT, "{\"client\":\"%s\",\"asked\":%d,\"connected\":%d,\"seconds\":%.1f,"
                    + "\"connectPerS\":%.0f,\"threadsPerClient\":%.2f,\"mapsPerClient\":%.2f,\"fdsPerClient\":%.2f,"
                    + "\"heapKiBPerClient\":%.1f,\"ceilingByMaps\":%d,\"ceilingByFiles\":%d,\"failure\":\"%s\"}%n",
                    kind, n, connected, seconds, connected / seconds, threads / (double) Math.max(1, connected),
                    mapsPer, fdsPer, heap / 1024.0 / Math.max(1, connected), ceilingByMaps, ceilingByFiles, failure);
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort at the end of a benchmark
                }
            }
        }
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
