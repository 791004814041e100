package com.pettysync.simulator.cloud.delivery;

import com.pettysync.simulator.report.SvgChart;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link DeliveryReport} as one self-contained HTML page (no scripts, no external files): the fleet's totals, an
 * inline SVG histogram of collars by share of expected frames delivered ({@link SvgChart}: labelled axes, ticks,
 * units), and the worst
 * collars' table with the reasons.
 */
public final class DeliveryReportPage {
    /** Collars listed in the page's table (the JSON lists all). */
    public static final int TABLE_ROWS = 500;

    private DeliveryReportPage() {}

    public static String render(DeliveryReport r) {
        StringBuilder h = new StringBuilder(64_000);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>PettySync delivery report ")
                .append(r.day()).append("</title><style>")
                .append("body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l{text-align:left}.bad{color:#b00}svg{background:#fafafa;")
                .append("border:1px solid #ddd}</style></head><body>");
        h.append("<h1>Delivery report ").append(r.day()).append(" (UTC)</h1>");
        h.append("<p>Generated ").append(r.generatedAt()).append(". A frame is <i>late</i> when it arrived ")
                .append(DeliveryTally.LATE_AFTER.toMinutes()).append(" min or more after the day ended.</p>");
        long expected = r.sum(DeliveryTally::expected);
        long received = r.sum(DeliveryTally::received);
        h.append("<table id=\"fleet\">");
        row(h, "collars", r.collars().size() + " (" + r.complete() + " complete, " + r.silent() + " silent)");
        row(h, "frames", String.format(Locale.ROOT, "%,d received of %,d expected (%.1f %%), %,d missing, %,d seq gaps",
                received, expected, expected == 0 ? 0.0 : 100.0 * received / expected, r.sum(DeliveryTally::missing),
                r.sum(DeliveryTally::seqGaps)));
        row(h, "late", String.format(Locale.ROOT, "%,d", r.sum(DeliveryTally::late)));
        row(h, "duplicates dropped", String.format(Locale.ROOT, "%,d", r.sum(DeliveryTally::duplicates)));
        row(h, "outbox dropped (frames flagged)", String.format(Locale.ROOT, "%,d",
                r.sum(DeliveryTally::outboxDropped)));
        Map<String, Long> events = new TreeMap<>();
        r.collars().forEach(t -> t.events().forEach((k, v) -> events.merge(k, v, Long::sum)));
        row(h, "events", events.isEmpty() ? "none" : events.toString());
        row(h, "voice clips joined", String.format(Locale.ROOT, "%,d", r.sum(DeliveryTally::clips)));
        h.append("</table>");

        h.append("<h2>Collars by share of expected frames delivered</h2>");
        h.append(histogram(r.collars()));

        h.append("<h2>Collars, worst first</h2>");
        h.append("<table id=\"collars\"><tr><th>collar</th><th>window s</th><th>expected</th><th>received</th>")
                .append("<th>missing</th><th>seq gaps</th><th>late</th><th>dup. dropped</th><th>outbox dropped</th>")
                .append("<th>battery min–max %</th><th>events</th><th>clips</th><th>why</th></tr>");
        List<DeliveryTally> rows = r.collars().subList(0, Math.min(TABLE_ROWS, r.collars().size()));
        for (DeliveryTally t : rows) {
            h.append("<tr><td class=\"l\">").append(esc(t.thing())).append("</td>");
            cell(h, t.windowS());
            cell(h, t.expected());
            cell(h, t.received());
            h.append("<td").append(t.missing() > 0 ? " class=\"bad\"" : "").append(">").append(t.missing())
                    .append("</td>");
            cell(h, t.seqGaps());
            cell(h, t.late());
            cell(h, t.duplicates());
            cell(h, t.outboxDropped());
            h.append("<td>").append(t.batteryMin() < 0 ? "–" : t.batteryMin() + "–" + t.batteryMax()).append("</td>");
            h.append("<td class=\"l\">").append(esc(t.events().isEmpty() ? "" : new TreeMap<>(t.events()).toString()))
                    .append("</td>");
            cell(h, t.clips());
            h.append("<td class=\"l\">").append(esc(String.join("; ", t.reasons()))).append("</td></tr>");
        }
        h.append("</table>");
        if (r.collars().size() > rows.size()) {
            h.append("<p>").append(r.collars().size() - rows.size())
                    .append(" more collars in the JSON report.</p>");
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    /** Bars: collars per 10 %-wide bucket of received/expected (the last bucket is exactly 100 %). */
    static String histogram(List<DeliveryTally> collars) {
        long[] buckets = new long[11];
        for (DeliveryTally t : collars) {
            double share = t.expected() == 0 ? 1.0 : Math.min(1.0, (double) t.received() / t.expected());
            buckets[share >= 1.0 ? 10 : (int) Math.floor(share * 10)]++;
        }
        SvgChart chart = SvgChart.bars("delivered-histogram",
                new SvgChart.Axis("frames received, % of expected at the collar's window", ""),
                new SvgChart.Axis("collars", "count")).size(720, 300);
        for (int i = 0; i < buckets.length; i++) {
            chart.bar(label(i), buckets[i], i == 10 ? "#3a7" : i >= 9 ? "#db3" : "#c44",
                    label(i) + " %: " + buckets[i] + " collars");
        }
        return chart.render();
    }

    private static String label(int bucket) {
        return bucket == 10 ? "100" : bucket * 10 + "–" + (bucket * 10 + 10);
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td class=\"l\">").append(esc(v)).append("</td></tr>");
    }

    private static void cell(StringBuilder h, long v) {
        h.append("<td>").append(v).append("</td>");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
