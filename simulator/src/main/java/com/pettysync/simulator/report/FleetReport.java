package com.pettysync.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The result of one fleet run (or of several shards merged): what was configured, what was counted, the timeline,
 * the PUBACK latency histogram (HdrHistogram, compressed and Base64-encoded so shard reports merge exactly) and the
 * worst collars. Written as {@code report.json}; {@link ReportPage} renders it as HTML.
 *
 * @param shards        how many shard reports this one covers (1 for a single process)
 * @param target        "local" or the AWS endpoint
 * @param totals        fleet-wide counts (sink counts: -1 when the target has no local sink)
 * @param timeline      one point per progress interval (shard timelines are summed point by point when merged)
 * @param latencyHdr    PUBACK latency in µs, HdrHistogram compressed + Base64
 * @param worstCollars  collars with the most lost, then missing, then duplicates (at most 50)
 * @param cost          monthly AWS IoT Core cost of this fleet from the counted traffic (CostModel)
 */
public record FleetReport(int shards, String target, Config config, Totals totals, List<Point> timeline,
        String latencyHdr, List<CollarLine> worstCollars, Cost cost, List<String> faultsApplied,
        CollarDay collarDay) {

    public static final int WORST = 50;

    /** A report without the per-collar-day figures (merged shards: those are not merged). */
    public FleetReport(int shards, String target, Config config, Totals totals, List<Point> timeline,
            String latencyHdr, List<CollarLine> worstCollars, Cost cost, List<String> faultsApplied) {
        this(shards, target, config, totals, timeline, latencyHdr, worstCollars, cost, faultsApplied, null);
    }

    /**
     * Per collar-day, over this run's virtual collars ({@code fleet.CollarDayAccount}).
     *
     * @param voiceCollars          collars whose pipeline finds vocal episodes (the full-pipeline collars)
     * @param episodes              episodes they found
     * @param voiceConfidenceBelow  the threshold of {@code uncertain}
     * @param clipBytesPerCollarDay per {@code voiceUpload} mode: clip bytes uploaded per collar-day (mean over the
     *                              voice collars), by the contract's rule
     * @param clipsUploaded         per mode: clips that mode uploads over the run
     * @param gpsMode               the collars' {@code gpsMode}
     * @param mwhPerDay             per energy component: p10/p50/p90 over the collars of its mWh/day
     * @param totalMwhPerDay        p10/p50/p90 of the total above the idle floor
     * @param batteryHours          p10/p50/p90 of the battery hours
     * @param basis                 what is counted and what is modelled
     */
    public record CollarDay(int collars, double simulatedSeconds, int voiceCollars, long episodes,
            int voiceConfidenceBelow, Map<String, Double> clipBytesPerCollarDay, Map<String, Long> clipsUploaded,
            String gpsMode, Map<String, Spread> mwhPerDay, Spread totalMwhPerDay, Spread batteryHours,
            String basis) {

        /** Two printed lines: clip bytes per collar-day per mode, and the energy distribution. */
        public String summary() {
            StringBuilder b = new StringBuilder();
            if (voiceCollars == 0) {
                b.append("clip bytes per collar-day: not measured (no --pipeline-collars: no collar finds episodes)");
            } else {
                b.append(String.format(Locale.ROOT, "clip bytes per collar-day (%d voice collars, %d episodes):",
                        voiceCollars, episodes));
                clipBytesPerCollarDay.forEach((m, v) -> b.append(String.format(Locale.ROOT, " %s %.0f", m, v)));
                b.append(" (uncertain: confidence < ").append(voiceConfidenceBelow).append(')');
            }
            b.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                    "energy above the idle floor, mWh/day p10/p50/p90: total %s; battery hours %s (gpsMode %s)",
                    totalMwhPerDay, batteryHours, gpsMode));
            mwhPerDay.forEach((c, s) -> b.append(String.format(Locale.ROOT, "; %s %s", c, s)));
            return b.toString();
        }
    }

    /** p10 / p50 / p90 over the collars (nearest rank). */
    public record Spread(double p10, double p50, double p90) {
        public static Spread of(double[] values) {
            if (values.length == 0) {
                return new Spread(0, 0, 0);
            }
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            return new Spread(rank(v, 10), rank(v, 50), rank(v, 90));
        }

        private static double rank(double[] sorted, int pct) {
            int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.1f/%.1f/%.1f", p10, p50, p90);
        }
    }

    /** What was asked for. */
    public record Config(int collars, String shard, double rampPerS, long simulatedSeconds, double speedup,
            List<String> faults, String simulatedStart) {
    }

    /**
     * @param framesMade     telemetry frames the collars' window aggregators committed to their outboxes
     * @param published      PUBLISH packets sent (first sends and re-sends)
     * @param acknowledged   PUBACKs with a success code
     * @param stored         distinct frames stored by the sink (after de-duplication)
     * @param lost           frames made but not stored (expected seqs missing at the sink after de-dup)
     * @param duplicatesStored frames stored more than once (0 by the sink's key; counted, not assumed)
     * @param duplicatesDropped re-sent copies the sink recognised and dropped
     * @param invalid        payloads the sink refused as breaking the contract
     */
    public record Totals(long collars, long framesMade, long published, long acknowledged, long stored, long lost,
            long duplicatesStored, long duplicatesDropped, long invalid, long missingGaps, long connects,
            long connectFailures, long connectionsLost, long kills, long peakConnected, double realSeconds,
            double simulatedSeconds, double connectSeconds, double connectsPerSecond, double storedPerSecond,
            long p50Micros, long p99Micros, long maxMicros, long heapBytesAfterConnect) {
    }

    /** One sample of the run. */
    public record Point(double realS, double simS, long connected, long made, long published, long acked,
            long stored) {
    }

    public record CollarLine(String thing, long made, long stored, long lost, long missingGaps, long duplicates,
            long kills) {
    }

    public record Cost(String region, String observed, String monthlyUsd, List<String> lines, long messages,
            long connectionMinutes) {
    }

    /** The latency histogram. */
    public Histogram latency() {
        return decode(latencyHdr);
    }

    public static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        byte[] bytes = new byte[n];
        b.flip();
        b.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static Histogram decode(String s) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad latency histogram in report: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the run's delivery was checked, and how it came out. {@code NOT_MEASURED}: the fleet had no frame store
     * to count in (an AWS endpoint, or a local cloud in another process without {@code --frames}), so loss and
     * duplicates are unknown — a run that cannot see the far end does not pass.
     */
    public enum Delivery {
        /** every frame made was stored once, none refused as invalid */
        VERIFIED,
        /** a frame was lost, stored twice or refused as invalid */
        LOSS_OR_DUPLICATE,
        /** no frame store was counted: loss and duplicates are unknown */
        NOT_MEASURED
    }

    /** The delivery verdict from the counted totals (a count of -1 is "not measured"). */
    public Delivery delivery() {
        if (totals.lost() < 0 || totals.duplicatesStored() < 0) {
            return Delivery.NOT_MEASURED;
        }
        return totals.lost() == 0 && totals.duplicatesStored() == 0 && totals.invalid() <= 0 ? Delivery.VERIFIED
                : Delivery.LOSS_OR_DUPLICATE;
    }

    /**
     * {@code N frames sent, N stored, 0 lost, 0 duplicate} (+ what the sink de-duplicated); without a frame store
     * {@code N frames sent, N acknowledged, lost: not measured, duplicate: not measured (…)}.
     */
    public String verdict() {
        if (delivery() == Delivery.NOT_MEASURED) {
            return String.format(Locale.ROOT, "%d frames sent, %d acknowledged, lost: not measured, duplicate: not "
                    + "measured (no frame store to count in: with a local cloud pass --frames FILE)",
                    totals.framesMade(), totals.acknowledged());
        }
        String stored = totals.stored() + " stored";
        return String.format(Locale.ROOT, "%d frames sent, %s, %d lost, %d duplicate (%d re-sent copies de-duplicated"
                + " at the sink)", totals.framesMade(), stored, totals.lost(), totals.duplicatesStored(),
                Math.max(0, totals.duplicatesDropped()));
    }

    /** Whether nothing was lost, stored twice or refused as invalid — counted, not assumed. */
    public boolean passed() {
        return delivery() == Delivery.VERIFIED;
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public static FleetReport read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), FleetReport.class);
    }

    /** Sorts collars worst first and keeps {@value #WORST}. */
    public static List<CollarLine> worst(List<CollarLine> all) {
        List<CollarLine> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(CollarLine::lost).reversed()
                .thenComparing(Comparator.comparingLong(CollarLine::missingGaps).reversed())
                .thenComparing(Comparator.comparingLong(CollarLine::duplicates).reversed())
                .thenComparing(CollarLine::thing));
        return List.copyOf(sorted.subList(0, Math.min(WORST, sorted.size())));
    }
}
