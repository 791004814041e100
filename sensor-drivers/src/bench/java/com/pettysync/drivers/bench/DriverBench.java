package com.pettysync.drivers.bench;

import com.pettysync.drivers.poll.SensorPoller;
import com.pettysync.drivers.position.NmeaReader;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.NmeaTwin;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.SimulatedCollar;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmarks of sensor-drivers (run with {@code ./mvnw -B -pl sensor-drivers -Pbench verify}):
 * <ol>
 *   <li>NMEA sentences parsed per second by {@link NmeaReader} (bytes in, fixes out), median of 7 timed rounds of
 *       300,000 sentences after 5 warm-up rounds;</li>
 *   <li>CPU time (this thread, {@link ThreadMXBean}) per simulated hour of the whole {@link SimulatedCollar} — all five
 *       twins through the real drivers at their real rates, polled as the agent would — and per sensor alone.</li>
 * </ol>
 */
public final class DriverBench {

    public static void main(String[] args) {
        System.out.println("java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        nmea();
        twins();
    }

    static void nmea() {
        SplittableRandom r = new SplittableRandom(1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int sentences = 0;
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        while (sentences < 300_000) {
            for (String s : NmeaTwin.sentences(t, true, 52.5 + r.nextDouble() * 0.01, 13.4 + r.nextDouble() * 0.01,
                    8 + r.nextInt(6), 0.7 + r.nextDouble(), 2.5)) {
                text.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
                sentences++;
            }
            t = t.plusSeconds(1);
        }
        byte[] bytes = text.toByteArray();
        double[] rates = new double[7];
        long fixes = 0;
        for (int round = -5; round < rates.length; round++) {
            NmeaReader reader = new NmeaReader();
            long start = System.nanoTime();
            for (int off = 0; off < bytes.length; off += 4096) {
                fixes += reader.accept(bytes, off, Math.min(4096, bytes.length - off), 0).size();
            }
            long ns = System.nanoTime() - start;
            if (round >= 0) {
                rates[round] = sentences / (ns / 1e9);
            }
        }
        Arrays.sort(rates);
        System.out.printf(Locale.ROOT, "NMEA: %.0f sentences/s median (min %.0f, max %.0f) over %d-sentence rounds"
                + " of RMC+GGA+GSA (%.1f MB/s); %d fixes%n", rates[3], rates[0], rates[6], sentences,
                rates[3] * bytes.length / sentences / 1e6, fixes);
    }

    static void twins() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        run(List.of("hr", "motion", "battery", "gnss", "mic"), Duration.ofMinutes(10), mx); // warm-up
        double all = run(List.of("hr", "motion", "battery", "gnss", "mic"), Duration.ofHours(1), mx);
        System.out.printf(Locale.ROOT, "Twins: all five, 1 simulated hour: %.2f s CPU (%.3f%% of one core in real"
                + " time)%n", all, all / 36);
        for (String s : List.of("hr", "motion", "battery", "gnss", "mic")) {
            double one = run(List.of(s), Duration.ofMinutes(15), mx) * 4;
            System.out.printf(Locale.ROOT, "Twins: %-7s alone: %.2f s CPU per simulated hour%n", s, one);
        }
    }

    /** Returns CPU seconds spent simulating {@code length}. */
    static double run(List<String> sensors, Duration length, ThreadMXBean mx) {
        DogBehaviourModel dog = new DogBehaviourModel(42, 52.52, 13.405);
        SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T06:30:00Z"));
        SimulatedCollar c = new SimulatedCollar(dog, clock, 42);
        SensorPoller p = new SensorPoller(clock, SensorPoller.DEFAULT_BACKOFF, (s, st) -> { });
        long[] sink = new long[1];
        for (String s : sensors) {
            switch (s) {
                case "hr" -> p.add(c.heartRate(), Duration.ofMillis(100),
                        () -> sink[0] += c.heartRate().read().samples().size());
                case "motion" -> p.add(c.motion(), Duration.ofMillis(250), () -> sink[0] += c.motion().read().size());
                case "battery" -> p.add(c.battery(), Duration.ofSeconds(10), () -> sink[0] += (long) c.battery().read().volts());
                case "gnss" -> p.add(c.gnss(), Duration.ofMillis(250), () -> sink[0] += c.gnss().read().size());
                default -> p.add(c.microphone(), Duration.ofMillis(100), () -> {
                    c.microphone().pump();
                    sink[0] += c.microphone().read(1 << 16).samples().length;
                });
            }
        }
        long end = length.toNanos();
        long cpu = mx.getCurrentThreadCpuTime();
        while (clock.nanos() < end) {
            clock.advanceTo(Math.min(end, p.runDue()));
        }
        double seconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (!p.statuses().values().stream().allMatch(st -> st.isOk()) || sink[0] == 0) {
            throw new IllegalStateException("benchmark run unhealthy: " + p.statuses());
        }
        return seconds;
    }

}
