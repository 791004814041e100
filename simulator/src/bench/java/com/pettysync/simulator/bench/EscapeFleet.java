package com.pettysync.simulator.bench;

import com.pettysync.agent.event.EventRecorder;
import com.pettysync.agent.event.EventWatch;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.uplink.UplinkLoop;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.fleet.HiveMqBrokerSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * Escape-alert latency across a fleet: {@code COLLARS} virtual collars, each running the agent's own event path
 * ({@link EventWatch} on every GNSS fix → {@link EventRecorder} → SQLite {@link OutboxStore} → {@link Uplink} with
 * its event lane → MQTT 5 over mutual TLS) against the local AWS IoT Core stand-in, on the real clock. Every collar
 * has a 100 m fence around its home and gets a fix every {@code FIX_PERIOD_S} (10 s: {@code gpsMode normal}; 1 s:
 * {@code live}) at its own phase, accuracy 3 m; {@code ESCAPE_PCT} % of the dogs run away at 3 m/s, crossing the
 * fence line at a random moment of a {@code SCENARIO_S} window. Alert latency = the cloud's {@code received_at} of
 * the exit event − the moment the dog crossed the line: the wait for the next fix outside the accuracy band plus the
 * path from that fix to the stored event, which is also reported on its own.
 *
 * <p>Arguments: {@code COLLARS} (1000) {@code ESCAPE_PCT} (10) {@code FIX_PERIOD_S} (10) {@code SCENARIO_S} (60).
 * Run from the repository root: {@code simulator/src/bench/run-bench.sh EscapeFleet 1000 10 10 60}.
 */
public final class EscapeFleet {
    static final double FENCE_M = 100;
    static final double SPEED_MS = 3;
    static final int HACC_DM = 30;

    /** One collar of the fleet. */
    static final class Collar {
        final String thing;
        final double homeLat;
        final double homeLon;
        final OutboxStore outbox;
        final EventWatch watch;
        final UplinkLoop loop;
        volatile long crossMs = Long.MAX_VALUE; // Long.MAX_VALUE: does not escape
        volatile long firstOutsideFixMs = -1;

        Collar(String thing, double homeLat, double homeLon, OutboxStore outbox, EventWatch watch, UplinkLoop loop) {
            this.thing = thing;
            this.homeLat = homeLat;
            this.homeLon = homeLon;
            this.outbox = outbox;
            this.watch = watch;
            this.loop = loop;
        }

        /** Distance from home at {@code tMs}: home until it starts running, crossing 100 m at {@code crossMs}. */
        double distanceM(long tMs) {
            if (crossMs == Long.MAX_VALUE) {
                return 0;
            }
            return Math.max(0, FENCE_M + SPEED_MS * (tMs - crossMs) / 1000.0);
        }

        void fix(long tMs) {
            double d = distanceM(tMs);
            int lat = (int) Math.round((homeLat + d / 111_195.0) * 1e7);
            int lon = (int) Math.round(homeLon * 1e7);
            if (d > FENCE_M + HACC_DM / 10.0 && firstOutsideFixMs < 0) {
                firstOutsideFixMs = tMs;
            }
            watch.fix(tMs, lat, lon, HACC_DM, false);
        }
    }

    public static void main(String[] argv) throws Exception {
        String joined = String.join(" ", argv).trim();
        String[] args = joined.isEmpty() ? new String[0] : joined.split("\\s+");
        int collars = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int escapePct = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int fixPeriodS = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int scenarioS = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        Path dir = Path.of("target/escape-fleet").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Clock clock = Clock.systemUTC();
        SplittableRandom random = new SplittableRandom(13);
        List<Collar> fleet = new ArrayList<>();
        ScheduledExecutorService fixes = Executors.newScheduledThreadPool(4);
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).port(0).build().start()) {
            TrustManagerFactory trust = cloud.certificateAuthority().trustManagerFactory();
            long t = System.nanoTime();
            int escapers = collars * escapePct / 100;
            for (int i = 0; i < collars; i++) {
                String thing = String.format("collar-esc-%05d", i);
                IssuedCredential cred = cloud.issueCollar(thing);
                var keys = cred.keyManagerFactory();
                OutboxStore outbox = OutboxStore.open(dir.resolve("outboxes").resolve(thing),
                        OutboxStore.Options.withCapacity(1000), clock);
                UplinkLoop[] loop = new UplinkLoop[1];
                EventRecorder recorder = new EventRecorder(outbox, clock, () -> loop[0].wake());
                EventWatch watch = new EventWatch(recorder, EventWatch.DEFAULT_HR_SUSTAIN);
                double lat = 52.0 + i * 0.01;
                double lon = 13.0;
                watch.setGeofences(List.of(new EventWatch.Fence(1, lat, lon, (int) FENCE_M)));
                String topic = "pettysync/v1/" + thing + "/events";
                Uplink uplink = new Uplink(outbox, () -> new HiveMqBrokerSession(new HiveMqBrokerSession.Options(
                        "localhost", cloud.port(), thing, keys, trust, Duration.ofSeconds(1200), Duration.ofSeconds(30),
                        null)), e -> topic, Uplink.Settings.of(10, 10, Duration.ofSeconds(1), Duration.ofSeconds(30)),
                        clock, new SplittableRandom(i), null);
                loop[0] = new UplinkLoop(uplink, clock).start();
                Collar c = new Collar(thing, lat, lon, outbox, watch, loop[0]);
                fleet.add(c);
                long phaseMs = random.nextLong(fixPeriodS * 1000L);
                fixes.scheduleAtFixedRate(() -> c.fix(clock.millis()), phaseMs, fixPeriodS * 1000L,
                        TimeUnit.MILLISECONDS);
            }
            long startMs = clock.millis() + 30_000; // the whole fleet is up: the escapes start
            int spacing = collars / Math.max(1, escapers); // escapers spread over the fleet, not the first made
            for (int i = 0; i < escapers; i++) {
                fleet.get(i * spacing).crossMs = startMs + random.nextLong(scenarioS * 1000L);
            }
            System.out.printf(Locale.ROOT, "%d collars started in %.1f s; %d escape in a %d s window from %s%n",
                    collars, (System.nanoTime() - t) / 1e9, escapers, scenarioS,
                    java.time.Instant.ofEpochMilli(startMs));
            long end = startMs + scenarioS * 1000L + fixPeriodS * 1000L + 15_000;
            while (clock.millis() < end) {
                Thread.sleep(1000);
            }
            fixes.shutdownNow();
            report(fleet, cloud.framesFile(), fixPeriodS);
            stop(fleet); // before the cloud closes, so no collar starts reconnecting
        } finally {
            fixes.shutdownNow();
            stop(fleet);
        }
    }

    static void stop(List<Collar> fleet) {
        fleet.parallelStream().forEach(c -> {
            c.loop.close(Duration.ofMillis(500));
            c.outbox.close();
        });
        fleet.clear();
    }

    static void report(List<Collar> fleet, Path frames, int fixPeriodS) throws Exception {
        List<Long> alert = new ArrayList<>();
        List<Long> pipeline = new ArrayList<>();
        int escapers = 0;
        int falseExits = 0;
        int missing = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + frames);
                PreparedStatement ps = db.prepareStatement("SELECT min(received_at) FROM events WHERE thing = ? AND"
                        + " type = 1")) {
            for (Collar c : fleet) {
                ps.setString(1, c.thing);
                Long received = null;
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        received = rs.getLong(1);
                    }
                }
                if (c.crossMs == Long.MAX_VALUE) {
                    if (received != null) {
                        falseExits++;
                    }
                    continue;
                }
                escapers++;
                if (received == null) {
                    missing++;
                    continue;
                }
                alert.add(received - c.crossMs);
                pipeline.add(received - c.firstOutsideFixMs);
            }
        }
        System.out.printf(Locale.ROOT, "fix every %d s: %d escapes, %d alerts stored, %d missing, %d false exits%n",
                fixPeriodS, escapers, alert.size(), missing, falseExits);
        print("alert latency (crossing -> stored, ms)", alert);
        print("  of which fix -> stored (ms)", pipeline);
    }

    static void print(String what, List<Long> v) {
        if (v.isEmpty()) {
            System.out.println(what + ": none");
            return;
        }
        v.sort(null);
        System.out.printf(Locale.ROOT, "%s: min %d, p50 %d, p90 %d, p95 %d, p99 %d, max %d%n", what, v.get(0),
                FenceLatency.pct(v, 50), FenceLatency.pct(v, 90), FenceLatency.pct(v, 95), FenceLatency.pct(v, 99),
                v.get(v.size() - 1));
    }
}
