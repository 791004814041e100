package com.pettysync.simulator.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.report.SvgChart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rollout run's report: {@code rollout.json} (scenario, verdict, job outcome, the timeline per simulated minute,
 * one entry per collar) and {@code rollout.html}, one self-contained page without scripts: the rollout over time as
 * an inline SVG chart (executions by state, collars on the new build, the release rate), a grid with one cell per
 * collar coloured by its outcome, and the table of every collar that did not simply succeed.
 */
public final class RolloutReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, String> COLOURS = Map.of("SUCCEEDED", "#2e7d32", "FAILED", "#c62828",
            "REJECTED", "#ef6c00", "TIMED_OUT", "#6a1b9a", "CANCELED", "#9e9e9e", "IN_PROGRESS", "#1565c0",
            "QUEUED", "#90caf9", "NOT_RELEASED", "#e0e0e0");

    private RolloutReport() {}

    /** Writes {@code rollout.json} and {@code rollout.html} into {@code dir}; returns the two files. */
    public static List<Path> write(FleetRollout.Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve("rollout.json");
        Path html = dir.resolve("rollout.html");
        Files.writeString(json, JSON.writeValueAsString(json(r)), StandardCharsets.UTF_8);
        Files.writeString(html, html(r), StandardCharsets.UTF_8);
        return List.of(json, html);
    }

    static ObjectNode json(FleetRollout.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.set("scenario", JSON.valueToTree(Map.of("collars", r.scenario().collars(),
                "failingPercent", r.scenario().failingPercent(), "failing", r.scenario().failing(),
                "fromBuild", r.scenario().fromBuild(), "toBuild", r.scenario().toBuild(),
                "rollout", String.valueOf(r.scenario().rollout()), "abort", r.scenario().abort(),
                "timeout", String.valueOf(r.scenario().timeout()),
                "healthCheckS", r.scenario().healthCheck().toSeconds())));
        o.put("passed", r.passed());
        o.set("violations", JSON.valueToTree(r.violations()));
        ObjectNode job = o.putObject("job").put("jobId", r.jobId()).put("status", r.jobStatus());
        if (r.reasonCode() != null) {
            job.put("reasonCode", r.reasonCode());
        }
        if (r.comment() != null) {
            job.put("comment", r.comment());
        }
        job.set("executions", JSON.valueToTree(r.executions()));
        job.put("notReleased", r.notReleased());
        long failingNotified = r.collars().stream().filter(c -> c.failing() && !c.execution().equals("NOT_RELEASED")
                && !c.execution().equals("CANCELED")).count();
        o.putObject("failingCollars").put("total", r.scenario().failing()).put("gotTheBuild", failingNotified)
                .put("spared", r.scenario().failing() - failingNotified);
        o.put("simulatedS", r.simulated().toSeconds());
        o.put("wallS", r.wall().toMillis() / 1000.0);
        o.set("timeline", JSON.valueToTree(r.timeline()));
        ArrayNode collars = o.putArray("collars");
        for (FleetRollout.CollarResult c : r.collars()) {
            ObjectNode x = collars.addObject().put("thing", c.thing()).put("failing", c.failing())
                    .put("execution", c.execution()).put("runningBuild", c.runningBuild())
                    .put("committedBuild", c.committedBuild()).put("starts", c.starts());
            if (c.startedAtS() != null) {
                x.put("startedAtS", c.startedAtS());
            }
            if (c.endedAtS() != null) {
                x.put("endedAtS", c.endedAtS());
            }
            ArrayNode ev = x.putArray("firmwareEvents");
            c.events().forEach(e -> ev.addArray().add(e.from()).add(e.to()).add(e.rolledBack() ? 1 : 0));
        }
        return o;
    }

    static String html(FleetRollout.Result r) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Rollout ").append(esc(r.jobId()))
                .append("</title><style>body{font:14px sans-serif;margin:2em;max-width:1100px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        + ".grid span{display:inline-block;width:9px;height:9px;margin:1px}</style></head><body>");
        h.append("<h1>Firmware rollout ").append(r.scenario().fromBuild()).append(" → ").append(r.scenario().toBuild())
                .append(" on ").append(r.scenario().collars()).append(" collars</h1>");
        h.append("<p><b>").append(r.passed() ? "PASSED" : "FAILED").append("</b> — job ").append(esc(r.jobId()))
                .append(" ended ").append(esc(r.jobStatus()));
        if (r.reasonCode() != null) {
            h.append(" (").append(esc(r.reasonCode())).append(": ").append(esc(String.valueOf(r.comment()))).append(')');
        }
        h.append(" after ").append(r.simulated().toMinutes()).append(" simulated minutes (").append(
                String.format(Locale.ROOT, "%.1f", r.wall().toMillis() / 1000.0)).append(" s of wall time).</p>");
        h.append("<p>Rollout <code>").append(esc(String.valueOf(r.scenario().rollout()))).append("</code>, abort <code>")
                .append(esc(String.join(" ", r.scenario().abort()))).append("</code>, timeout <code>")
                .append(esc(String.valueOf(r.scenario().timeout()))).append("</code>; ").append(r.scenario().failing())
                .append(" collars (").append(r.scenario().failingPercent()).append(" %) have a new build that fails its "
                        + "health check. Executions: ").append(esc(r.executions().toString())).append(", not released: ")
                .append(r.notReleased()).append(".</p>");
        if (!r.violations().isEmpty()) {
            h.append("<h2>Violations</h2><ul>");
            r.violations().stream().limit(50).forEach(v -> h.append("<li>").append(esc(v)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Over time</h2>").append(chart(r));
        h.append("<h2>Per collar</h2><div class=\"grid\">");
        for (FleetRollout.CollarResult c : r.collars()) {
            h.append("<span title=\"").append(esc(c.thing())).append(' ').append(c.execution())
                    .append(c.failing() ? " (failing build)" : "").append(", runs ").append(c.runningBuild())
                    .append("\" style=\"background:").append(COLOURS.getOrDefault(c.execution(), "#000"))
                    .append(c.failing() ? ";outline:2px solid #000" : "").append("\"></span>");
        }
        h.append("</div><p>");
        COLOURS.forEach((k, v) -> h.append("<span style=\"display:inline-block;width:10px;height:10px;background:")
                .append(v).append("\"></span> ").append(k).append(" &nbsp; "));
        h.append("(outlined: a failing build)</p>");
        h.append("<table><tr><th>thing</th><th>failing build</th><th>execution</th><th>started (s)</th>"
                + "<th>ended (s)</th><th>running</th><th>committed</th><th>starts</th><th>event type 8</th></tr>");
        for (FleetRollout.CollarResult c : r.collars()) {
            if (c.execution().equals("SUCCEEDED") || c.execution().equals("NOT_RELEASED")
                    || c.execution().equals("CANCELED") && !c.failing()) {
                continue;
            }
            h.append("<tr><td>").append(esc(c.thing())).append("</td><td>").append(c.failing() ? "yes" : "")
                    .append("</td><td>").append(c.execution()).append("</td><td>")
                    .append(c.startedAtS() == null ? "" : c.startedAtS()).append("</td><td>")
                    .append(c.endedAtS() == null ? "" : c.endedAtS()).append("</td><td>").append(c.runningBuild())
                    .append("</td><td>").append(c.committedBuild()).append("</td><td>").append(c.starts())
                    .append("</td><td>");
            c.events().forEach(e -> h.append('[').append(e.from()).append(", ").append(e.to()).append(", ")
                    .append(e.rolledBack() ? 1 : 0).append("] "));
            h.append("</td></tr>");
        }
        h.append("</table></body></html>\n");
        return h.toString();
    }

    private static String chart(FleetRollout.Result r) {
        List<FleetRollout.Point> t = r.timeline();
        double[] minutes = t.stream().mapToDouble(FleetRollout.Point::minute).toArray();
        SvgChart chart = SvgChart.lines("rollout", new SvgChart.Axis("simulated time since the job was created", "min"),
                new SvgChart.Axis("collars · release rate", "count · collars/min")).size(1000, 340);
        String[][] series = {{"SUCCEEDED", "#2e7d32"}, {"FAILED", "#c62828"}, {"IN_PROGRESS", "#1565c0"},
                {"QUEUED", "#90caf9"}, {"CANCELED", "#9e9e9e"}, {"TIMED_OUT", "#6a1b9a"}, {"REJECTED", "#ef6c00"}};
        for (String[] se : series) {
            chart.series(se[0], se[1], minutes, t.stream().mapToDouble(p -> p.executions().getOrDefault(se[0], 0))
                    .toArray());
        }
        chart.series("on new build", "#000", minutes, t.stream().mapToDouble(FleetRollout.Point::onNewBuild).toArray());
        chart.series("release rate /min", "#ffb300", minutes,
                t.stream().mapToDouble(FleetRollout.Point::ratePerMinute).toArray());
        return chart.render();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
