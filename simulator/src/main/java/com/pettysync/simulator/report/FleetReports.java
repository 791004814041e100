package com.pettysync.simulator.report;

import com.pettysync.simulator.fleet.FleetTally;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Merges shard reports into one fleet report: counts summed, latency histograms added, timelines summed point by point. */
public final class FleetReports {
    private FleetReports() {
    }

    public static FleetReport merge(List<FleetReport> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no reports to merge");
        }
        Histogram latency = new Histogram(3);
        List<FleetReport.CollarLine> lines = new ArrayList<>();
        List<String> faults = new ArrayList<>();
        long collars = 0, made = 0, published = 0, acked = 0, stored = 0, lost = 0, dupStored = 0, dupDropped = 0;
        long invalid = 0, gaps = 0, connects = 0, connectFailures = 0, connLost = 0, kills = 0, peak = 0, heap = 0;
        long messages = 0, minutes = 0;
        double real = 0, sim = 0, connectS = 0;
        int count = 0;
        boolean unmeasured = false; // one shard without a frame store: the fleet's loss is not measured
        for (FleetReport r : shards) {
            var t = r.totals();
            count += r.shards();
            latency.add(r.latency());
            lines.addAll(r.worstCollars());
            r.faultsApplied().forEach(f -> faults.add("shard " + r.config().shard() + ": " + f));
            collars += t.collars();
            made += t.framesMade();
            published += t.published();
            acked += t.acknowledged();
            stored += Math.max(0, t.stored());
            lost += Math.max(0, t.lost());
            dupStored += Math.max(0, t.duplicatesStored());
            unmeasured |= r.delivery() == FleetReport.Delivery.NOT_MEASURED;
            dupDropped += Math.max(0, t.duplicatesDropped());
            invalid += Math.max(0, t.invalid());
            gaps += t.missingGaps();
            connects += t.connects();
            connectFailures += t.connectFailures();
            connLost += t.connectionsLost();
            kills += t.kills();
            peak += t.peakConnected();
            heap += Math.max(0, t.heapBytesAfterConnect());
            real = Math.max(real, t.realSeconds());
            sim = Math.max(sim, t.simulatedSeconds());
            connectS = Math.max(connectS, t.connectSeconds());
            messages += r.cost().messages();
            minutes += r.cost().connectionMinutes();
        }
        List<FleetReport.Point> timeline = new ArrayList<>();
        int n = shards.stream().mapToInt(r -> r.timeline().size()).max().orElse(0);
        for (int i = 0; i < n; i++) {
            double rs = 0, ss = 0;
            long c = 0, m = 0, p = 0, a = 0, s = 0;
            for (FleetReport r : shards) {
                var tl = r.timeline();
                if (tl.isEmpty()) {
                    continue;
                }
                var pt = tl.get(Math.min(i, tl.size() - 1)); // a finished shard keeps its last values
                rs = Math.max(rs, pt.realS());
                ss = Math.max(ss, pt.simS());
                c += i < tl.size() ? pt.connected() : 0;
                m += pt.made();
                p += pt.published();
                a += pt.acked();
                s += Math.max(0, pt.stored());
            }
            timeline.add(new FleetReport.Point(rs, ss, c, m, p, a, s));
        }
        FleetReport first = shards.getFirst();
        var cost = FleetTally.cost(messages, minutes, unmeasured ? acked : stored,
                Duration.ofMillis(Math.max(1, (long) (sim * 1000))));
        double storedPerS = !unmeasured && real > 0 ? stored / real : 0;
        if (unmeasured) {
            stored = lost = dupStored = dupDropped = invalid = -1;
        }
        var totals = new FleetReport.Totals(collars, made, published, acked, stored, lost, dupStored, dupDropped,
                invalid, gaps, connects, connectFailures, connLost, kills, peak, real, sim, connectS,
                connectS > 0 ? collars / connectS : 0, storedPerS, latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99), latency.getMaxValue(), heap);
        var config = new FleetReport.Config(first.config().collars(), "merged " + shards.size(),
                first.config().rampPerS(), first.config().simulatedSeconds(), first.config().speedup(),
                first.config().faults(), first.config().simulatedStart());
        return new FleetReport(count, first.target(), config, totals, timeline, FleetReport.encode(latency),
                FleetReport.worst(lines), cost, faults);
    }
}
