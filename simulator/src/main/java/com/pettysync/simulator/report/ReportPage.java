package com.pettysync.simulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A {@link FleetReport} as one self-contained HTML page: no scripts, no external files — inline SVG charts
 * (connections over time, acknowledged and stored frames per second, the PUBACK latency histogram), the worst
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
        h.append("<h2>Connections over time</h2>");
        h.append(lineChart(pts, List.of(p -> p.connected()), List.of("#1f77b4"), "connected"));
        h.append("<h2>Throughput over time</h2>");
        List<double[]> rates = rates(pts);
        h.append(rateChart(pts, rates));
        h.append("<p><span style=\"color:#2ca02c\">■</span> acknowledged/s &nbsp; <span style=\"color:#d62728\">■"
                + "</span> stored/s (per real second)</p>");
        h.append("<h2>PUBACK latency</h2>");
        h.append(histogramChart(r.latency()));
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

    private static final int W = 900;
    private static final int H = 220;
    private static final int PAD = 40;

    private static String lineChart(List<FleetReport.Point> pts, List<ToDoubleFunction<FleetReport.Point>> series,
            List<String> colours, String label) {
        double maxX = pts.isEmpty() ? 1 : Math.max(1, pts.getLast().realS());
        double maxY = 1;
        for (var f : series) {
            for (var p : pts) {
                maxY = Math.max(maxY, f.applyAsDouble(p));
            }
        }
        StringBuilder s = frame(maxX, maxY, label);
        for (int k = 0; k < series.size(); k++) {
            s.append("<polyline fill=\"none\" stroke=\"").append(colours.get(k)).append("\" stroke-width=\"2\" points=\"");
            for (var p : pts) {
                s.append(x(p.realS(), maxX)).append(',').append(y(series.get(k).applyAsDouble(p), maxY)).append(' ');
            }
            s.append("\"/>");
        }
        return s.append("</svg>").toString();
    }

    private static String rateChart(List<FleetReport.Point> pts, List<double[]> rates) {
        double maxX = pts.isEmpty() ? 1 : Math.max(1, pts.getLast().realS());
        double maxY = 1;
        for (double[] r : rates) {
            maxY = Math.max(maxY, Math.max(r[0], r[1]));
        }
        StringBuilder s = frame(maxX, maxY, "frames per second");
        String[] colours = {"#2ca02c", "#d62728"};
        for (int k = 0; k < 2; k++) {
            s.append("<polyline fill=\"none\" stroke=\"").append(colours[k]).append("\" stroke-width=\"2\" points=\"");
            for (int i = 0; i < pts.size(); i++) {
                s.append(x(pts.get(i).realS(), maxX)).append(',').append(y(rates.get(i)[k], maxY)).append(' ');
            }
            s.append("\"/>");
        }
        return s.append("</svg>").toString();
    }

    private static String histogramChart(Histogram hist) {
        List<double[]> bars = new ArrayList<>(); // [upper ms, count]
        if (hist.getTotalCount() > 0) {
            for (HistogramIterationValue v : hist.logarithmicBucketValues(100, 1.5)) {
                bars.add(new double[] {v.getValueIteratedTo() / 1000.0, v.getCountAddedInThisIterationStep()});
            }
        }
        double maxY = 1;
        for (double[] b : bars) {
            maxY = Math.max(maxY, b[1]);
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                W, H + 30));
        double bw = bars.isEmpty() ? 1 : (W - 2.0 * PAD) / bars.size();
        for (int i = 0; i < bars.size(); i++) {
            double bh = (H - 2.0 * PAD) * bars.get(i)[1] / maxY;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                    + " fill=\"#9467bd\"><title>≤ %.2f ms: %d</title></rect>", PAD + i * bw, H - PAD - bh,
                    Math.max(1, bw - 1), bh, bars.get(i)[0], (long) bars.get(i)[1]));
            if (i % Math.max(1, bars.size() / 8) == 0) {
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.1f</text>",
                        PAD + i * bw, H - PAD + 14, bars.get(i)[0]));
            }
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">PUBACK latency, ms"
                + " (logarithmic buckets ×1.5); bar height = publishes (max %d)</text>", PAD, H - 8, (long) maxY));
        if (hist.getTotalCount() > 0) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">p50 %.2f ms · p90 %.2f ms ·"
                    + " p99 %.2f ms · p99.9 %.2f ms · max %.2f ms · n = %d</text>", PAD, 16,
                    hist.getValueAtPercentile(50) / 1000.0, hist.getValueAtPercentile(90) / 1000.0,
                    hist.getValueAtPercentile(99) / 1000.0, hist.getValueAtPercentile(99.9) / 1000.0,
                    hist.getMaxValue() / 1000.0, hist.getTotalCount()));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder frame(double maxX, double maxY, String label) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                W, H));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD,
                H - PAD, W - PAD, H - PAD));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD,
                PAD, PAD, H - PAD));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s (max %.0f)</text>", PAD,
                PAD - 8, esc(label), maxY));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\">real seconds (0 … %.0f)</text>",
                W / 2 - 60, H - 10, maxX));
        return s;
    }

    private static String x(double v, double max) {
        return String.format(Locale.ROOT, "%.1f", PAD + (W - 2.0 * PAD) * v / max);
    }

    private static String y(double v, double max) {
        return String.format(Locale.ROOT, "%.1f", H - PAD - (H - 2.0 * PAD) * v / max);
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th style=\"text-align:left\">").append(esc(k)).append("</th><td style=\"text-align:left\">")
                .append(esc(v)).append("</td></tr>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
