package com.pettysync.simulator.bench;

import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.simulator.cloud.ingest.Arrival;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ingest sink's own cost per telemetry frame, without a broker: decode (validation), the frame's JSON, and
 * storing, one transaction per frame ({@link IngestSink#accept}) against group commits of {@code batch} frames
 * ({@link IngestSink#acceptAll}). Single thread; CPU-bound parts are measured by thread CPU time, so other jobs on
 * the machine inflate them less than wall time. Prints one line per part.
 *
 * <p>Run: {@code ./mvnw -B -q -pl simulator -am -DskipTests -Dsimulator.bench verify
 * -Dbench.main=com.pettysync.simulator.bench.SinkWriteCost -Dbench.args="20000 500"} (frames, batch).
 */
public final class SinkWriteCost {
    private SinkWriteCost() {
    }

    public static void main(String[] argv) throws Exception {
        String[] args = String.join(" ", argv).trim().split("\\s+"); // the bench profile passes one argument
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            payloads.add(TelemetryFrameCodec.encode(TelemetrySummary.of(i / 100, 1767225600L + (i / 100) * 300L,
                    300)));
        }
        for (int warm = 0; warm < 2; warm++) {
            Path dir = Files.createTempDirectory("sink-cost");
            long t = cpu();
            for (byte[] p : payloads) {
                TelemetryFrameCodec.decode(p);
            }
            report(warm, "decode", cpu() - t, frames);
            t = cpu();
            for (byte[] p : payloads) {
                ContractJson.toJson(TelemetryFrameCodec.decode(p));
            }
            report(warm, "decode + JSON", cpu() - t, frames);
            try (IngestSink sink = IngestSink.open(dir.resolve("one.db"), Clock.systemUTC())) {
                t = cpu();
                long w = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    sink.accept(thing(i), Stream.TELEMETRY, payloads.get(i));
                }
                report(warm, "accept, one transaction each", cpu() - t, frames);
                reportWall(warm, "  wall", System.nanoTime() - w, frames);
            }
            try (IngestSink sink = IngestSink.open(dir.resolve("group.db"), Clock.systemUTC())) {
                t = cpu();
                long w = System.nanoTime();
                for (int from = 0; from < frames; from += batch) {
                    List<Arrival> group = new ArrayList<>();
                    for (int i = from; i < Math.min(frames, from + batch); i++) {
                        group.add(new Arrival(thing(i), Stream.TELEMETRY, payloads.get(i)));
                    }
                    sink.acceptAll(group);
                }
                report(warm, "acceptAll, " + batch + " per transaction", cpu() - t, frames);
                reportWall(warm, "  wall", System.nanoTime() - w, frames);
            }
        }
    }

    private static String thing(int i) {
        return String.format("collar-%06d", i % 100);
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static void report(int warm, String what, long nanos, int frames) {
        if (warm > 0) {
            System.out.printf(Locale.ROOT, "%-40s %7.1f µs CPU per frame%n", what, nanos / 1000.0 / frames);
        }
    }

    private static void reportWall(int warm, String what, long nanos, int frames) {
        if (warm > 0) {
            System.out.printf(Locale.ROOT, "%-40s %7.1f µs per frame (%.0f frames/s)%n", what, nanos / 1000.0 / frames,
                    frames / (nanos / 1e9));
        }
    }
}
