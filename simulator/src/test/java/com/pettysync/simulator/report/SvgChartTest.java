package com.pettysync.simulator.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    static final SvgChart.Axis TIME = new SvgChart.Axis("real time", "s");
    static final SvgChart.Axis FRAMES = new SvgChart.Axis("frames per second", "frames/s");

    /** The tick labels of one axis group, in document order. */
    static List<String> tickLabels(String svg, String axis) {
        int start = svg.indexOf("<g class=\"axis " + axis + "\">");
        int end = svg.indexOf("<text class=\"axis-title\"", start);
        Matcher m = Pattern.compile("<text class=\"tick-label\"[^>]*>([^<]*)</text>").matcher(svg.substring(start, end));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void ticksAreRoundValuesFromZeroToTheFirstAtOrAboveTheMaximum() {
        assertEquals(new SvgChart.Ticks(200, 1000), SvgChart.Ticks.upTo(873));
        assertEquals(new SvgChart.Ticks(2, 10), SvgChart.Ticks.upTo(10));
        assertEquals(new SvgChart.Ticks(0.5, 2.5), SvgChart.Ticks.upTo(2.1));
        assertEquals(new SvgChart.Ticks(10000, 30000), SvgChart.Ticks.upTo(28000));
        assertEquals(new SvgChart.Ticks(0.2, 1), SvgChart.Ticks.upTo(0), "an empty chart still has an axis");
        assertEquals("0.5", SvgChart.Ticks.upTo(2.1).format(0.5));
        assertEquals("28,000", SvgChart.Ticks.upTo(28000).format(28000));
    }

    @Test
    void aLineChartHasLabelledAxesWithTicksAndUnits() {
        String svg = SvgChart.lines("throughput", TIME, FRAMES)
                .series("acknowledged/s", "#2ca02c", new double[] {0, 10, 42}, new double[] {0, 873, 12})
                .series("stored/s", "#d62728", new double[] {0, 10, 42}, new double[] {0, 860, 12}).render();
        assertTrue(svg.startsWith("<svg id=\"throughput\" class=\"chart\""), svg);
        assertTrue(svg.contains("viewBox=\"0 0 900 280\""), svg);
        assertEquals(List.of("0", "10", "20", "30", "40", "50"), tickLabels(svg, "x"));
        assertEquals(List.of("0", "200", "400", "600", "800", "1,000"), tickLabels(svg, "y"));
        assertTrue(svg.contains(">real time (s)</text>"), svg);
        assertTrue(svg.contains(">frames per second (frames/s)</text>"), svg);
        assertTrue(svg.contains("rotate(-90"), "the y title runs up the axis");
        assertEquals(2, svg.split("class=\"series\"", -1).length - 1);
        assertTrue(svg.contains("<g class=\"legend\">") && svg.contains(">stored/s</text>"), svg);
    }

    @Test
    void aBarChartLabelsItsCategoriesAndThinsThemWhenMany() {
        SvgChart chart = SvgChart.bars("latency", new SvgChart.Axis("PUBACK latency", "ms"),
                new SvgChart.Axis("publishes", "count"));
        for (int i = 0; i < 30; i++) {
            chart.bar("b" + i, i, "#9467bd", "bucket <" + i + ">");
        }
        String svg = chart.render();
        assertEquals(30, svg.split("class=\"bar\"", -1).length - 1);
        assertEquals(30, svg.split("<g class=\"tick\"><line", -1).length - 1 - tickLabels(svg, "y").size());
        List<String> x = tickLabels(svg, "x");
        assertEquals(List.of("b0", "b3", "b6", "b9", "b12", "b15", "b18", "b21", "b24", "b27"), x);
        assertTrue(svg.contains("bucket &lt;7&gt;"), "text is escaped");
        assertTrue(!svg.contains("<g class=\"legend\">"));
    }

    @Test
    void anEmptyChartStillDrawsItsAxes() {
        String svg = SvgChart.lines("empty", TIME, FRAMES).render();
        assertEquals(List.of("0.0", "0.2", "0.4", "0.6", "0.8", "1.0"), tickLabels(svg, "x"));
        assertEquals(6, tickLabels(svg, "y").size());
    }

    @Test
    void refusesMisuse() {
        assertThrows(IllegalArgumentException.class, () -> SvgChart.lines("Bad Id", TIME, FRAMES));
        assertThrows(IllegalStateException.class, () -> SvgChart.lines("a", TIME, FRAMES).bar("x", 1, "#000", ""));
        assertThrows(IllegalArgumentException.class,
                () -> SvgChart.lines("a", TIME, FRAMES).series("s", "#000", new double[2], new double[3]));
    }
}
