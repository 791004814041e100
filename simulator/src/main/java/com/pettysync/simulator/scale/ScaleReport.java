package com.pettysync.simulator.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.fleet.ProgressLine;
import com.pettysync.simulator.report.FleetReport;
import com.pettysync.simulator.report.FleetReports;
import com.pettysync.simulator.report.ReportPage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The end of a scale run: the shard reports merged ({@code merged/report.json} + {@code .html}), every broker's frame
 * store checked on its own (distinct frames, rows stored twice), the resource figures of {@link ScaleWatch}, all
 * written as {@code scale.json} and printed, and the verdict — computed from those counts, never assumed:
 * {@link FleetReport.Delivery#VERIFIED} only when the shards' counts and the brokers' stores agree that every frame
 * made was stored once.
 *
 * <p>Figures (keys of {@code scale.json}): {@code connectsPerS} over the ramp; memory per collar for brokers (RSS
 * above their idle RSS) and the fleet (RSS above each process's first sample, a few seconds into the ramp) once every
 * collar is connected; CPU in cores per role during the ramp and the steady state; PUBACK p50/p99/max; wire bytes
 * per collar-day from the brokers' socket counters over the steady window ({@link SocketCounters}; "not measured"
 * without {@code ss} or without a steady window); peak files, threads and RSS per process.
 */
public final class ScaleReport {
    /** How the run ended. */
    public record Outcome(FleetReport.Delivery delivery, List<String> failures) {
        public boolean passed() {
            return delivery == FleetReport.Delivery.VERIFIED && failures.isEmpty();
        }
    }

    private static final String NOT_MEASURED = "not measured";
    private final ScalePlan plan;
    private final ScaleRun.Options options;
    private final ChildProcesses children;
    private final PrintStream progress;

    ScaleReport(ScalePlan plan, ScaleRun.Options options, ChildProcesses children, PrintStream progress) {
        this.plan = plan;
        this.options = options;
        this.children = children;
        this.progress = progress;
    }

    Outcome write(Path out, ScaleWatch.Seen w, Map<String, ProcessSampler.Sample> idle) throws IOException {
        List<FleetReport> reports = new ArrayList<>();
        List<String> failures = new ArrayList<>(w.failures);
        for (ChildProcesses.Child c : children.ofRole("fleet")) {
            Path r = out.resolve(c.name()).resolve("report.json");
            if (Files.isRegularFile(r)) {
                reports.add(FleetReport.read(r));
            } else {
                failures.add(c.name() + " wrote no report (exit " + c.exit() + "); see " + c.log());
            }
        }
        // an independent check of every broker's store: distinct frames, rows stored twice
        long storedAll = 0, dupRows = 0;
        for (ChildProcesses.Child c : children.ofRole("broker")) {
            Path db = out.resolve(c.name()).resolve("frames.db");
            if (Files.isRegularFile(db)) {
                try (IngestSink sink = IngestSink.open(db, Clock.systemUTC())) {
                    storedAll += sink.counts().stream().mapToLong(k -> k.telemetryStored()).sum();
                    dupRows += sink.duplicateRows();
                }
            }
        }
        FleetReport merged = null;
        if (!reports.isEmpty()) {
            merged = FleetReports.merge(reports);
            Path dir = out.resolve("merged");
            Files.createDirectories(dir);
            merged.write(dir.resolve("report.json"));
            ReportPage.write(merged, dir.resolve("report.html"));
        }
        if (options.windowsAfterConnected() > 0 && !w.stopRequested) {
            failures.add("the fleet ended (duration cap " + options.duration() + " simulated) before "
                    + options.windowsAfterConnected() + " full windows with every collar connected");
        }
        if (w.allConnectedS <= 0) {
            failures.add("not every collar connected");
        }
        FleetReport.Delivery delivery = merged == null ? FleetReport.Delivery.NOT_MEASURED : merged.delivery();
        if (delivery == FleetReport.Delivery.VERIFIED && (dupRows != 0 || storedAll != merged.totals().framesMade())) {
            delivery = FleetReport.Delivery.LOSS_OR_DUPLICATE; // the brokers' own stores disagree with the shards
        }
        Map<String, Object> doc = figures(w, idle, merged, storedAll, dupRows);
        doc.put("delivery", delivery.name());
        doc.put("failures", failures);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("scale.json").toFile(),
                doc);
        progress.println();
        doc.forEach((k, v) -> progress.println(k + ": " + v));
        progress.println("report: " + out.resolve("merged").resolve("report.html") + ", " + out.resolve("scale.json"));
        if (merged != null) {
            progress.println(merged.verdict() + (merged.delivery() != FleetReport.Delivery.VERIFIED
                    || storedAll == merged.totals().framesMade() ? "" : " — but the brokers' stores hold "
                    + storedAll + " frames"));
        }
        Outcome outcome = new Outcome(delivery, List.copyOf(failures));
        progress.println(outcome.passed() ? "scale run passed" : "scale run FAILED (" + delivery + ")"
                + (failures.isEmpty() ? "" : ": " + failures));
        return outcome;
    }

    private Map<String, Object> figures(ScaleWatch.Seen w, Map<String, ProcessSampler.Sample> idle,
            FleetReport merged, long storedAll, long dupRows) {
        Map<String, Object> d = new LinkedHashMap<>();
        int collars = plan.collars();
        d.put("collars", collars);
        d.put("processes", plan.brokers() + " broker + " + plan.shards() + " fleet");
        d.put("sourceAddresses", plan.sourceAddresses());
        d.put("simulated", options.duration() + " at ×" + ScaleRun.trim(options.speedup()));
        d.put("cores", Runtime.getRuntime().availableProcessors());
        if (w.allConnectedS > 0) {
            d.put("allConnectedAfterS", round(w.allConnectedS));
            d.put("connectsPerS", round(collars / w.allConnectedS));
            d.put("realSecondsAllConnected", round((w.fleetEndS > 0 ? w.fleetEndS : w.allConnectedS)
                    - w.allConnectedS));
            d.put("simulatedAllConnectedAt", ProgressLine.clock(w.allConnectedSim));
            if (w.stopSim > 0) {
                long startS = ScaleRun.START.getEpochSecond();
                long firstBoundary = Math.floorDiv(startS + w.allConnectedSim + ScaleWatch.WINDOW_S - 1,
                        ScaleWatch.WINDOW_S) * ScaleWatch.WINDOW_S - startS;
                d.put("simulatedStopAt", ProgressLine.clock(w.stopSim));
                d.put("fullWindowsAllConnected", Math.max(0, (w.stopSim - firstBoundary) / ScaleWatch.WINDOW_S));
            }
        } else {
            d.put("allConnectedAfterS", "never");
        }
        var at = w.atAllConnected != null ? w.atAllConnected : w.last;
        if (at != null) {
            long bRss = sum(at, "broker", ProcessSampler.Sample::rssKb);
            long fRss = sum(at, "fleet", ProcessSampler.Sample::rssKb);
            d.put("brokerRssMbAllConnected", bRss / 1024);
            d.put("brokerRssKibPerCollar", round((double) bRss / collars));
            d.put("brokerRssKibPerCollarAboveIdle", round((double) (bRss - sum(idle, "broker",
                    ProcessSampler.Sample::rssKb)) / collars));
            d.put("fleetRssMbAllConnected", fRss / 1024);
            d.put("fleetRssKibPerCollar", round((double) fRss / collars));
            d.put("fleetRssKibPerCollarAboveStart", round((double) (fRss - sum(w.first, "fleet",
                    ProcessSampler.Sample::rssKb)) / collars));
        }
        d.put("peakRssMb", mb(w.peakRssKb));
        d.put("peakOpenFiles", w.peakFiles);
        d.put("peakThreads", w.peakThreads);
        if (w.atAllConnected != null) {
            double rampS = w.allConnectedS;
            long bRamp = sum(w.atAllConnected, "broker", ProcessSampler.Sample::cpuTicks)
                    - sum(idle, "broker", ProcessSampler.Sample::cpuTicks);
            long fRamp = sum(w.atAllConnected, "fleet", ProcessSampler.Sample::cpuTicks);
            d.put("rampCpuCoresBroker", cores(bRamp, rampS));
            d.put("rampCpuCoresFleet", cores(fRamp, rampS));
            d.put("cpuMsPerConnectBothEnds", round((bRamp + fRamp) * 1000.0 / ProcessSampler.TICKS_PER_SECOND
                    / collars));
            d.put("machineBusyDuringRamp", round(w.machineBusyDuringRamp));
            double steadyS = w.atFleetEndS - w.allConnectedS;
            if (w.atFleetEnd != null && w.atFleetEnd != w.atAllConnected && steadyS > 0) {
                d.put("steadyCpuCoresBroker", cores(sum(w.atFleetEnd, "broker", ProcessSampler.Sample::cpuTicks)
                        - sum(w.atAllConnected, "broker", ProcessSampler.Sample::cpuTicks), steadyS));
                d.put("steadyCpuCoresFleet", cores(sum(w.atFleetEnd, "fleet", ProcessSampler.Sample::cpuTicks)
                        - sum(w.atAllConnected, "fleet", ProcessSampler.Sample::cpuTicks), steadyS));
            } else {
                d.put("steadyCpuCores", NOT_MEASURED + " (no sample in a steady state)");
            }
            d.put("machineBusyAfterConnected", round(w.machineBusyAfterConnected));
        }
        d.put("wireBytesPerCollarDay", wire(w));
        if (merged != null) {
            var t = merged.totals();
            d.put("framesMade", t.framesMade());
            d.put("framesPublishedInclResends", t.published());
            d.put("framesAcknowledged", t.acknowledged());
            d.put("framesStored", measured(t.stored()));
            d.put("framesLost", measured(t.lost()));
            d.put("duplicatesStored", measured(t.duplicatesStored()));
            d.put("resentCopiesDeduplicated", measured(t.duplicatesDropped()));
            d.put("connectFailures", t.connectFailures());
            d.put("connectionsLost", t.connectionsLost());
            d.put("fleetHeapKibPerCollarAllConnected", round(t.heapBytesAfterConnect() / 1024.0 / collars));
            d.put("pubackP50Ms", round(t.p50Micros() / 1000.0));
            d.put("pubackP99Ms", round(t.p99Micros() / 1000.0));
            d.put("pubackMaxMs", round(t.maxMicros() / 1000.0));
            d.put("verdict", merged.verdict());
        }
        d.put("brokerStoresTelemetryFrames", storedAll);
        d.put("brokerStoresDuplicateRows", dupRows);
        return d;
    }

    /**
     * Bytes on the wire per collar per simulated day, from the brokers' socket counters at the start and the end of
     * the steady window (every collar connected, no handshakes): up = collars → brokers, down = brokers → collars.
     */
    private Object wire(ScaleWatch.Seen w) {
        if (w.allConnectedS <= 0) {
            return NOT_MEASURED + " (no steady window: not every collar connected)";
        }
        if (options.windowsAfterConnected() == 0) {
            return NOT_MEASURED + " (no steady window: needs --windows ≥ 1)";
        }
        if (!w.stopRequested) {
            return NOT_MEASURED + " (the fleet ended before its steady window did)";
        }
        if (w.wireAtAllConnected.isEmpty() || w.wireAtStop.isEmpty()) {
            return NOT_MEASURED + " (iproute2's ss not available)";
        }
        SocketCounters delta = w.wireAtStop.get().minus(w.wireAtAllConnected.get());
        double simulatedS = (w.wireAtStopS - w.wireAtAllConnectedS) * options.speedup();
        double perCollarDay = 86_400 / simulatedS / plan.collars();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("up", Math.round(delta.bytesReceived() * perCollarDay));
        m.put("down", Math.round(delta.bytesSent() * perCollarDay));
        m.put("total", Math.round((delta.bytesReceived() + delta.bytesSent()) * perCollarDay));
        m.put("overSimulatedS", round(simulatedS));
        m.put("sockets", w.wireAtStop.get().sockets());
        m.put("basis", "TCP payload (TLS records) of the brokers' ends, ss bytes_received/bytes_sent, steady window"
                + " scaled to a day; no TCP/IP headers"
                + (options.speedup() > 1 ? "; keep-alive pings run in real time, so at ×" + ScaleRun.trim(
                        options.speedup()) + " they are under-counted" : ""));
        return m;
    }

    private static Object measured(long v) {
        return v < 0 ? NOT_MEASURED : v;
    }

    private static double cores(long ticks, double seconds) {
        return round(ticks / (double) ProcessSampler.TICKS_PER_SECOND / seconds);
    }

    private static long sum(Map<String, ProcessSampler.Sample> m, String role,
            ToLongFunction<ProcessSampler.Sample> f) {
        String prefix = role.equals("broker") ? "broker-" : "shard-";
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> f.applyAsLong(
                e.getValue())).sum();
    }

    private static Map<String, Long> mb(Map<String, Long> kib) {
        Map<String, Long> r = new LinkedHashMap<>();
        kib.forEach((k, v) -> r.put(k, v / 1024));
        return r;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
