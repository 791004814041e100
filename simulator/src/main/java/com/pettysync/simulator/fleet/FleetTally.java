package com.pettysync.simulator.fleet;

import com.pettysync.contract.cost.CostEstimate;
import com.pettysync.contract.cost.CostModel;
import com.pettysync.contract.cost.PriceTable;
import com.pettysync.contract.cost.Usage;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.report.FleetReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The end of a fleet run: what the collars made against what the frame store holds, into a {@link FleetReport}.
 *
 * <h2>What is counted, and what is not</h2>
 * With a frame store ({@code store}: the embedded cloud's sink, or another local cloud's {@code frames.db} given as
 * {@code --frames}) lost = made − distinct stored per collar, duplicates = rows stored twice, invalid = payloads the
 * sink refused. Without one (an AWS endpoint, or a local cloud without {@code --frames}) nothing can be counted at
 * the far end: stored, lost, duplicates, re-sent copies and invalid are {@value ProgressLine#UNKNOWN} ("not
 * measured"), never 0, and the report's verdict says so ({@link FleetReport.Delivery#NOT_MEASURED}).
 *
 * @param options           the run's options
 * @param metrics           the fleet's counters and PUBACK latency
 * @param store             the frame store to count in, or null when there is none
 * @param storeIsThisFleets whether {@code store} holds only this fleet's frames (the embedded cloud); otherwise
 *                          duplicates are counted in this shard's thing-name range only
 */
public record FleetTally(FleetSimulation.Options options, FleetMetrics metrics, IngestSink store, boolean storeIsThisFleets) {

    /**
     * The report of a finished run.
     *
     * @param collars         every collar that ran, stopped
     * @param timeline        one point per progress line
     * @param faultsApplied   one line per applied fault
     * @param realSeconds     real time since the fleet started
     * @param simulated       simulated time elapsed
     * @param connectSeconds  real seconds until every collar was first connected, -1 if never
     * @param peakConnected   most collars connected at once
     * @param heapAfterConnect heap in use when every collar was first connected, -1 if never
     */
    FleetReport report(List<VirtualCollar> collars, List<FleetReport.Point> timeline, List<String> faultsApplied,
            double realSeconds, Duration simulated, double connectSeconds, long peakConnected,
            long heapAfterConnect) {
        Map<String, CollarCounts> sink = new HashMap<>();
        boolean counted = store != null;
        if (counted) {
            for (CollarCounts c : store.counts()) {
                sink.put(c.thing(), c);
            }
        }
        List<FleetReport.CollarLine> lines = new ArrayList<>();
        long made = 0, stored = 0, lost = 0, dupDropped = 0, invalid = 0, gaps = 0, connectedNanos = 0;
        for (VirtualCollar c : collars) {
            CollarCounts k = sink.getOrDefault(c.thing, new CollarCounts(c.thing, 0, 0, 0, 0, 0, 0, 0));
            long l = counted ? Math.max(0, c.framesMade - k.telemetryStored()) : ProgressLine.UNKNOWN;
            made += c.framesMade;
            stored += k.telemetryStored();
            lost += Math.max(0, l);
            dupDropped += k.duplicates();
            invalid += k.invalid();
            gaps += k.missingTelemetry();
            connectedNanos += c.connectedNanos;
            lines.add(new FleetReport.CollarLine(c.thing, c.framesMade, counted ? k.telemetryStored()
                    : ProgressLine.UNKNOWN, l, k.missingTelemetry(), k.duplicates(), c.kills));
        }
        long unknown = ProgressLine.UNKNOWN;
        long duplicatesStored = !counted ? unknown : storeIsThisFleets ? store.duplicateRows()
                : store.duplicateRows(FleetSimulation.thingName(options.first()),
                        FleetSimulation.thingName(options.end() - 1));
        Histogram latency = metrics.total();
        long connectionMinutes = Math.round(connectedNanos * options.speedup() / 60e9);
        long messages = metrics.messageUnits.sum() + metrics.connects.sum();
        FleetReport.Cost cost = cost(messages, connectionMinutes, counted ? stored : metrics.acknowledged.sum(),
                simulated);
        var totals = new FleetReport.Totals(collars.size(), made, metrics.published.sum(), metrics.acknowledged.sum(),
                counted ? stored : unknown, counted ? lost : unknown, duplicatesStored, counted ? dupDropped : unknown,
                counted ? invalid : unknown, gaps, metrics.connects.sum(), metrics.connectFailures.sum(),
                metrics.connectionsLost.sum(), metrics.kills.sum(), peakConnected, realSeconds,
                simulated.toMillis() / 1000.0, connectSeconds, connectSeconds > 0 ? collars.size() / connectSeconds : 0,
                counted && realSeconds > 0 ? stored / realSeconds : 0, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(), heapAfterConnect);
        var config = new FleetReport.Config(options.collars(), options.shardIndex() + "/" + options.shardCount(),
                options.rampPerS(), options.duration().toSeconds(), options.speedup(),
                options.faults().stream().map(Fault::spec).toList(), options.simulatedStart().toString());
        return new FleetReport(1, options.endpoint() == null ? "local" : options.endpoint() + ":" + options.port(),
                config, totals, List.copyOf(timeline), FleetReport.encode(latency), FleetReport.worst(lines), cost,
                List.copyOf(faultsApplied), CollarDayAccount.fleet(collars.stream().map(c -> c.day).toList(),
                        simulated.toMillis() / 1000.0));
    }

    /** The monthly AWS IoT Core cost of this traffic (us-east-1 list prices), scaled from the simulated span. */
    public static FleetReport.Cost cost(long messages, long connectionMinutes, long frames, Duration observed) {
        Usage usage = new Usage(connectionMinutes, messages, 0, frames, frames, 0).scaledToMonth(observed);
        CostEstimate e = CostModel.monthly(usage, PriceTable.US_EAST_1);
        return new FleetReport.Cost(PriceTable.US_EAST_1.region(), observed.toString(), CostEstimate.usd(e.totalUsd()),
                e.format().lines().toList(), messages, connectionMinutes);
    }
}
