package com.pettysync.simulator.bench;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From the GNSS fix that crosses a geofence to the event stored by the local cloud, on loopback, measured on the
 * real agent process: the local AWS IoT Core stand-in runs here; the agent ({@code pettysync agent --simulated}, the
 * systemd unit's JVM flags) runs in a process of its own on its twins in real time, connected over mutual TLS.
 *
 * <p>The fence is moved through the shadow (UpdateThingShadow, as the app would) every {@code PERIOD_MS}, between a
 * 50 km circle around the dog's home and a 10 m circle 1° away, with {@code gpsMode: live} (a fix a second), so each
 * move makes the next fix a crossing (exit, then return, …). The agent logs each event with the time of the fix
 * that raised it ({@code event GEOFENCE_EXIT eseq N observed MS}); the cloud stores it with its {@code received_at}
 * (ms, before its PUBACK). Latency = received_at − observed, same machine, same clock.
 *
 * <p>Arguments: {@code SAMPLES} (default 100), {@code PERIOD_MS} (3000), {@code DIR} (target/fence-latency).
 * Run from the repository root: {@code simulator/src/bench/run-bench.sh FenceLatency 100 3000}.
 */
public final class FenceLatency {
    static final String THING = "collar-fence";
    static final double HOME_LAT = 13.7563; // the twin dog's home (agent Sensing.HOME_LAT/LON)
    static final double HOME_LON = 100.5018;
    static final Pattern EVENT = Pattern.compile("event (GEOFENCE_EXIT|GEOFENCE_RETURN) eseq (\\d+) observed (\\d+)");

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().isEmpty() ? new String[0]
                : String.join(" ", argv).trim().split("\\s+"); // the bench profile passes one argument
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        long periodMs = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/fence-latency").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path collar = Files.createDirectories(dir.resolve("collar"));
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).port(0).build().start()) {
            IssuedCredential cred = cloud.issueCollar(THING);
            cred.writeTo(collar);
            Files.writeString(collar.resolve("agent.json"), """
                    {"endpoint": "localhost", "port": %d, "thingName": "%s", "certificate": "%s",
                     "privateKey": "%s", "caCertificate": "%s", "dataDirectory": "data", "sensors": "simulated"}
                    """.formatted(cloud.port(), THING, IssuedCredential.CERTIFICATE_FILE,
                    IssuedCredential.PRIVATE_KEY_FILE, IssuedCredential.CA_FILE));
            move(cloud, true); // desired before the agent starts: live fixes, inside the big fence
            Path log = dir.resolve("agent.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process agent = new ProcessBuilder(java, "-Xmx32m", "-Xms6m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=8m",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "com.pettysync.cli.Pettysync", "agent", "--config", collar.resolve("agent.json").toString(),
                    "--simulated").redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.currentTimeMillis() + 60_000;
                while (!Files.readString(log).contains("GNSS mode: live") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                Thread.sleep(3000); // the first fixes set the fence state (no event for them)
                boolean inside = true;
                for (int i = 0; i < samples; i++) {
                    inside = !inside;
                    move(cloud, inside);
                    Thread.sleep(periodMs);
                }
                Thread.sleep(5000);
            } finally {
                agent.destroy(); // SIGTERM: the agent's clean stop
                agent.waitFor(15, TimeUnit.SECONDS);
            }
            report(Files.readString(log, StandardCharsets.UTF_8), cloud.framesFile(), samples);
        }
    }

    static void move(LocalIotCore cloud, boolean home) {
        String fence = home
                ? "{\"id\":1,\"lat\":%s,\"lon\":%s,\"radiusM\":50000}".formatted(HOME_LAT, HOME_LON)
                : "{\"id\":1,\"lat\":%s,\"lon\":%s,\"radiusM\":10}".formatted(HOME_LAT + 1, HOME_LON);
        cloud.updateShadow(THING, "config", "{\"state\":{\"desired\":{\"gpsMode\":\"live\",\"geofences\":[" + fence
                + "]}}}");
    }

    static void report(String log, Path frames, int moves) throws Exception {
        Map<Long, Long> observed = new HashMap<>();
        Matcher m = EVENT.matcher(log);
        while (m.find()) {
            observed.put(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
        }
        List<Long> latencies = new ArrayList<>();
        int stored = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + frames);
                PreparedStatement ps = db.prepareStatement(
                        "SELECT eseq, received_at FROM events WHERE thing = ? AND type IN (1, 2) ORDER BY eseq")) {
            ps.setString(1, THING);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored++;
                    Long obs = observed.get(rs.getLong(1));
                    if (obs != null) {
                        latencies.add(rs.getLong(2) - obs);
                    }
                }
            }
        }
        latencies.sort(null);
        System.out.printf(Locale.ROOT, "fence moves %d, crossing events logged %d, stored %d, matched %d%n", moves,
                observed.size(), stored, latencies.size());
        if (latencies.isEmpty()) {
            System.out.println("no latency measured");
            return;
        }
        System.out.printf(Locale.ROOT, "fix -> event stored by the cloud (ms): min %d, p50 %d, p95 %d, p99 %d, max %d%n",
                latencies.get(0), pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                latencies.get(latencies.size() - 1));
    }

    static long pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
