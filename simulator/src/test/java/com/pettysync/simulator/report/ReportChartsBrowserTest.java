package com.pettysync.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet report's charts as headless Chromium (Debian's {@code chromium}) lays them out: every chart has an x and a
 * y axis with tick labels and a title carrying its unit, and every piece of text lies inside the chart's SVG (the
 * rotated y title included) — measured by the browser ({@code getBoundingClientRect}) through a copy of the page
 * with a probe script, read back with {@code --dump-dom}. The page itself is screenshotted as the README's command
 * does. Skipped, with the reason, where Chromium is not installed.
 */
class ReportChartsBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Runs in the probe copy only: the report itself has no scripts. */
    private static final String PROBE = """
            <script>
            const charts = [];
            for (const svg of document.querySelectorAll('svg.chart')) {
              const box = svg.getBoundingClientRect();
              const inside = r => r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                  && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
              const axis = name => {
                const g = svg.querySelector('g.axis.' + name);
                const labels = [...g.querySelectorAll('text.tick-label')];
                const title = g.querySelector('text.axis-title');
                const rects = labels.map(t => t.getBoundingClientRect());
                let overlaps = 0;
                for (let i = 1; i < rects.length; i++) {
                  const a = rects[i - 1], b = rects[i];
                  if (name === 'x' ? b.left < a.right : b.bottom > a.top) overlaps++;
                }
                return {ticks: g.querySelectorAll('g.tick').length, labels: labels.map(t => t.textContent),
                        title: title ? title.textContent : null, overlaps: overlaps,
                        titleWidth: title ? title.getBoundingClientRect().width : 0,
                        titleHeight: title ? title.getBoundingClientRect().height : 0};
              };
              const outside = [...svg.querySelectorAll('text')].filter(t => !inside(t.getBoundingClientRect()))
                  .map(t => t.textContent);
              charts.push({id: svg.id, x: axis('x'), y: axis('y'), outside: outside,
                           data: svg.querySelectorAll('g.data > *').length});
            }
            const pre = document.createElement('pre');
            pre.id = 'layout';
            pre.textContent = JSON.stringify(charts);
            document.body.appendChild(pre);
            </script>
            """;

    @TempDir
    Path dir;

    @Test
    void everyChartHasLabelledAxesInsideItsSvg() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        FleetReport report = FleetReports.merge(List.of(FleetReportsTest.shard(0, 2, 1200, 1200, 1500),
                FleetReportsTest.shard(1, 2, 1200, 1199, 42_000)));
        Path page = dir.resolve("report.html");
        ReportPage.write(report, page);
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, Files.readString(page).replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);

        String dom = chromium("dump", "--dump-dom", probe);
        Matcher m = Pattern.compile("<pre id=\"layout\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), () -> "the probe ran: " + dom.substring(0, Math.min(2000, dom.length())));
        JsonNode charts = new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&"));
        Map<String, String[]> units = Map.of("connections", new String[] {"(s)", "(count)"},
                "throughput", new String[] {"(s)", "(frames/s)"}, "puback-latency", new String[] {"(ms)", "(count)"});
        List<String> ids = new ArrayList<>();
        for (JsonNode c : charts) {
            String id = c.path("id").asText();
            ids.add(id);
            for (String a : List.of("x", "y")) {
                JsonNode axis = c.path(a);
                assertTrue(axis.path("ticks").asInt() >= 2, id + " " + a + " ticks: " + axis);
                assertTrue(axis.path("labels").size() >= 2, id + " " + a + " tick labels: " + axis);
                assertEquals(0, axis.path("overlaps").asInt(), id + " " + a + " tick labels overlap: " + axis);
                double w = axis.path("titleWidth").asDouble();
                double h = axis.path("titleHeight").asDouble();
                // x title runs along, the y title up the axis (turned 90°)
                assertTrue(a.equals("x") ? w > 60 && h > 5 : h > 60 && w > 5, id + " " + a + " title is drawn: " + axis);
            }
            assertTrue(c.path("x").path("title").asText().endsWith(units.get(id)[0]), c.toString());
            assertTrue(c.path("y").path("title").asText().endsWith(units.get(id)[1]), c.toString());
            assertEquals("0", c.path("y").path("labels").get(0).asText(), "y starts at 0: " + c);
            assertEquals(0, c.path("outside").size(), id + ": text outside the chart: " + c.path("outside"));
            assertTrue(c.path("data").asInt() >= 1, id + " draws its data: " + c);
        }
        assertEquals(List.of("connections", "throughput", "puback-latency"), ids);
        JsonNode throughputX = charts.get(1).path("x").path("labels");
        assertEquals("0", throughputX.get(0).asText());
        assertEquals("30", throughputX.get(throughputX.size() - 1).asText(), "the x axis ends at the run's 30 s");

        Path png = dir.resolve("report.png");
        chromium("shot", "--screenshot=" + png, page);
        assertTrue(Files.size(png) > 0, "a screenshot was written");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        int purple = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == 0x9467bd) {
                    purple++;
                }
            }
        }
        assertTrue(purple > 200, "the latency histogram's bars are painted: " + purple + " pixels");
    }

    /** Runs Chromium headless on {@code page} with {@code action}; returns what it printed on stdout. */
    private String chromium(String name, String action, Path page) throws Exception {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile-" + name), "--window-size=1200,1600",
                "--hide-scrollbars", action, page.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + read(err));
        return read(out);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
