package com.pettysync.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A {@link FleetReport} as one self-contained HTML page: no scripts, no external files — inline SVG charts drawn by
 * {@link SvgChart} with labelled axes and units (connections over time, acknowledged and stored frames per second,
 * the PUBACK latency histogram), the worst
 * collars' loss/duplicate table and the monthly AWS cost.
 */
public final class ReportPage {
    private ReportPage() {
    }

    public static void write(FleetReport r, Path file) throws IOException {
        Files.writeString(file, render(r), StandardCharsets.UTF_8);
    }

    public static String render(FleetReport r) {
        var t = r.totals();
        StringBuilder h = new StringBuilder(32_000);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>PettySync fleet run</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}.ok{color:#070}.bad{color:#b00}svg{background:#fafafa;border:1px solid #ddd}")
                .append("pre{background:#f6f6f6;padding:8px}</style></head><body>");
        h.append("<h1>PettySync fleet run</h1>");
        h.append("<p class=\"").append(r.passed() ? "ok" : "bad").append("\"><b>").append(esc(r.verdict()))
                .append("</b></p>");
        h.append("<table>");
        row(h, "target", r.target());
        row(h, "collars", t.collars() + " (shards: " + r.shards() + ", config " + r.config().shard() + ")");
        row(h, "simulated", String.format(Locale.ROOT, "%.0f s from %s, speed-up ×%.0f, ramp %.0f collars/s",
                t.simulatedSeconds(), r.config().simulatedStart(), r.config().speedup(), r.config().rampPerS()));
        row(h, "real time", String.format(Locale.ROOT, "%.1f s", t.realSeconds()));
        row(h, "faults", r.faultsApplied().isEmpty() ? "none" : String.join("; ", r.faultsApplied()));
        row(h, "frames", String.format(Locale.ROOT, "made %d, published %d (re-sends included), acknowledged %d,"
                + " stored %d, lost %d, duplicate %d, re-sent copies de-duplicated %d, invalid %d", t.framesMade(),
                t.published(), t.acknowledged(), t.stored(), t.lost(), t.duplicatesStored(), t.duplicatesDropped(),
                t.invalid()));
        row(h, "connections", String.format(Locale.ROOT, "%d connects, %d failed attempts, %d lost, peak %d"
                + " connected, all connected after %.1f s (%.0f connects/s), %d kill(s)", t.connects(),
                t.connectFailures(), t.connectionsLost(), t.peakConnected(), t.connectSeconds(), t.connectsPerSecond(),
                t.kills()));
        row(h, "PUBACK latency", String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                t.p50Micros() / 1000.0, t.p99Micros() / 1000.0, t.maxMicros() / 1000.0));
        row(h, "throughput", String.format(Locale.ROOT, "%.0f frames stored per real second (whole run)",
                t.storedPerSecond()));
        h.append("</table>");

        List<FleetReport.Point> pts = r.timeline();
        double[] realS = pts.stream().mapToDouble(FleetReport.Point::realS).toArray();
        h.append("<h2>Connections over time</h2>");
        h.append(SvgChart.lines("connections", REAL_TIME, new SvgChart.Axis("collars connected", "count"))
                .series("connected", "#1f77b4", realS, pts.stream().mapToDouble(p -> p.connected()).toArray())
                .render());
        h.append("<h2>Throughput over time</h2>");
        List<double[]> rates = rates(pts);
        h.append(SvgChart.lines("throughput", REAL_TIME, new SvgChart.Axis("frames per real second", "frames/s"))
                .series("acknowledged/s", "#2ca02c", realS, rates.stream().mapToDouble(a -> a[0]).toArray())
                .series("stored/s", "#d62728", realS, rates.stream().mapToDouble(a -> a[1]).toArray())
                .render());
        h.append("<h2>PUBACK latency</h2>");
        h.append(histogramChart(r.latency()));
        Histogram hist = r.latency();
        if (hist.getTotalCount() > 0) {
            h.append(String.format(Locale.ROOT, "<p>p50 %.2f ms · p90 %.2f ms · p99 %.2f ms · p99.9 %.2f ms ·"
                    + " max %.2f ms · n = %d</p>", hist.getValueAtPercentile(50) / 1000.0,
                    hist.getValueAtPercentile(90) / 1000.0, hist.getValueAtPercentile(99) / 1000.0,
                    hist.getValueAtPercentile(99.9) / 1000.0, hist.getMaxValue() / 1000.0, hist.getTotalCount()));
        }
        h.append("<h2>Collars with the most loss, gaps or duplicates (worst ").append(r.worstCollars().size())
                .append(")</h2><table><tr><th>thing</th><th>made</th><th>stored</th><th>lost</th><th>seq gaps</th>"
                        + "<th>re-sent copies dropped</th><th>kills</th></tr>");
        for (var c : r.worstCollars()) {
            h.append("<tr><td>").append(esc(c.thing())).append("</td><td>").append(c.made()).append("</td><td>")
                    .append(c.stored()).append("</td><td>").append(c.lost()).append("</td><td>")
                    .append(c.missingGaps()).append("</td><td>").append(c.duplicates()).append("</td><td>")
                    .append(c.kills()).append("</td></tr>");
        }
        h.append("</table>");
        h.append("<h2>Monthly AWS IoT Core cost of this fleet</h2><p>").append(esc(r.cost().monthlyUsd()))
                .append(" a month (").append(esc(r.cost().region())).append(" list prices; the counted traffic of ")
                .append(esc(r.cost().observed())).append(" simulated, scaled to 30 days by CostModel)</p><pre>");
        r.cost().lines().forEach(l -> h.append(esc(l)).append('\n'));
        h.append("</pre>");
        if (r.collarDay() != null) {
            h.append("<h2>Per collar-day: voice clip bytes by voiceUpload mode, energy over the collars</h2><pre>")
                    .append(esc(r.collarDay().summary())).append("</pre><p>").append(esc(r.collarDay().basis()))
                    .append("</p>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static List<double[]> rates(List<FleetReport.Point> pts) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            if (i == 0) {
                out.add(new double[] {0, 0});
                continue;
            }
            var a = pts.get(i - 1);
            var b = pts.get(i);
            double dt = Math.max(1e-3, b.realS() - a.realS());
            out.add(new double[] {(b.acked() - a.acked()) / dt, Math.max(0, (b.stored() - a.stored()) / dt)});
        }
        return out;
    }

    private static final SvgChart.Axis REAL_TIME = new SvgChart.Axis("real time since the start", "s");

    /** Publishes per logarithmic latency bucket (×1.5 from 0.1 ms), labelled by each bucket's upper bound. */
    private static String histogramChart(Histogram hist) {
        SvgChart chart = SvgChart.bars("puback-latency",
                new SvgChart.Axis("PUBACK latency, bucket upper bound, logarithmic ×1.5", "ms"),
                new SvgChart.Axis("publishes", "count"));
        if (hist.getTotalCount() > 0) {
            for (HistogramIterationValue v : hist.logarithmicBucketValues(100, 1.5)) {
                double ms = v.getValueIteratedTo() / 1000.0;
                long n = v.getCountAddedInThisIterationStep();
                chart.bar(ms < 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%,.0f", ms),
                        n, "#9467bd", String.format(Locale.ROOT, "≤ %.2f ms: %d publishes", ms, n));
            }
        }
        return chart.render();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th style=\"text-align:left\">").append(esc(k)).append("</th><td style=\"text-align:left\">")
                .append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
