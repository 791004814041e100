package com.pettysync.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One chart of a report page as inline SVG, no scripts: a plot area with a labelled x and y axis — ticks at round
 * values (1, 2 or 5 × 10<sup>k</sup>) with their labels, axis titles that carry the unit — holding either lines over
 * a numeric x axis ({@link #lines}) or one bar per category ({@link #bars}). Every chart of every report page (fleet
 * run, rollout, delivery) is drawn here, so they all read the same way.
 *
 * <p>What a page (and a test, or a person with the browser's inspector) finds in the SVG:
 * <pre>
 *   &lt;svg id="…" class="chart" viewBox="0 0 W H" width="W" height="H" role="img" aria-label="…"&gt;
 *     &lt;g class="axis x"&gt; &lt;line class="axis-line"/&gt;
 *                       &lt;g class="tick"&gt;&lt;line/&gt;&lt;text class="tick-label"&gt;0&lt;/text&gt;&lt;/g&gt; …
 *                       &lt;text class="axis-title"&gt;real time (s)&lt;/text&gt; &lt;/g&gt;
 *     &lt;g class="axis y"&gt; … the same, the title turned 90° … &lt;/g&gt;
 *     &lt;g class="data"&gt; &lt;polyline class="series"/&gt; or &lt;rect class="bar"&gt;&lt;title&gt;…&lt;/title&gt;&lt;/rect&gt; … &lt;/g&gt;
 *     &lt;g class="legend"&gt; … (lines with more than one series) &lt;/g&gt;
 *   &lt;/svg&gt;
 * </pre>
 * The y axis starts at 0 and ends at the first tick at or above the largest value; an empty chart still draws its
 * axes (0 … 1). Text is escaped. Instances are builders: add data, then {@link #render}.
 */
public final class SvgChart {
    /** An axis: its title and unit, shown as "title (unit)"; {@code unit} may be empty. */
    public record Axis(String title, String unit) {
        public Axis {
            Objects.requireNonNull(title);
            Objects.requireNonNull(unit);
        }

        String label() {
            return unit.isEmpty() ? title : title + " (" + unit + ")";
        }
    }

    /** A line: points {@code (xs[i], ys[i])} in x order. */
    public record Series(String name, String colour, double[] xs, double[] ys) {
        public Series {
            if (xs.length != ys.length) {
                throw new IllegalArgumentException("series " + name + ": " + xs.length + " x values, " + ys.length
                        + " y values");
            }
        }
    }

    /** A bar: its category label on the x axis, its value, colour and hover text. */
    public record Bar(String label, double value, String colour, String tooltip) {
    }

    static final int LEFT = 78;
    static final int RIGHT = 24;
    static final int TOP = 34;
    static final int BOTTOM = 52;
    /** At most this many category labels under a bar chart (the others keep their tick mark). */
    static final int MAX_BAR_LABELS = 12;

    private final String id;
    private final Axis x;
    private final Axis y;
    private final boolean barChart;
    private final List<Series> series = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private int width = 900;
    private int height = 280;

    private SvgChart(String id, Axis x, Axis y, boolean barChart) {
        if (id == null || !id.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("chart id must be lower-case letters, digits and '-': " + id);
        }
        this.id = id;
        this.x = Objects.requireNonNull(x);
        this.y = Objects.requireNonNull(y);
        this.barChart = barChart;
    }

    /** A line chart over a numeric x axis starting at 0. */
    public static SvgChart lines(String id, Axis x, Axis y) {
        return new SvgChart(id, x, y, false);
    }

    /** A bar chart, one bar per category in the order added. */
    public static SvgChart bars(String id, Axis x, Axis y) {
        return new SvgChart(id, x, y, true);
    }

    /** The whole SVG's size in pixels (also its viewBox); default 900 × 280. */
    public SvgChart size(int w, int h) {
        if (w < LEFT + RIGHT + 100 || h < TOP + BOTTOM + 60) {
            throw new IllegalArgumentException("chart " + id + " too small: " + w + " x " + h);
        }
        this.width = w;
        this.height = h;
        return this;
    }

    public SvgChart series(String name, String colour, double[] xs, double[] ys) {
        if (barChart) {
            throw new IllegalStateException("chart " + id + " is a bar chart");
        }
        series.add(new Series(name, colour, xs.clone(), ys.clone()));
        return this;
    }

    public SvgChart bar(String label, double value, String colour, String tooltip) {
        if (!barChart) {
            throw new IllegalStateException("chart " + id + " is a line chart");
        }
        bars.add(new Bar(label, value, colour, tooltip));
        return this;
    }

    public String render() {
        double plotW = width - LEFT - RIGHT;
        double plotH = height - TOP - BOTTOM;
        double maxY = 0;
        double maxX = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                maxY = Math.max(maxY, s.ys()[i]);
                maxX = Math.max(maxX, s.xs()[i]);
            }
        }
        for (Bar b : bars) {
            maxY = Math.max(maxY, b.value());
        }
        Ticks yt = Ticks.upTo(maxY);
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg id=\"").append(id).append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"").append(esc(y.label() + " by " + x.label()))
                .append("\" font-family=\"system-ui,sans-serif\" font-size=\"11\">");
        // y axis: grid, ticks, labels, title
        s.append("<g class=\"axis y\">");
        for (double v : yt.values()) {
            double py = TOP + plotH - plotH * v / yt.top();
            if (v > 0) {
                s.append(line("grid", LEFT, py, width - RIGHT, py, "#e6e6e6"));
            }
            s.append("<g class=\"tick\">").append(line(null, LEFT - 5, py, LEFT, py, "#444"))
                    .append(text("tick-label", LEFT - 8, py + 4, "end", yt.format(v))).append("</g>");
        }
        s.append(line("axis-line", LEFT, TOP, LEFT, TOP + plotH, "#444"));
        double midY = TOP + plotH / 2;
        s.append("<text class=\"axis-title\" x=\"16\" y=\"").append(fmt(midY)).append("\" text-anchor=\"middle\"")
                .append(" transform=\"rotate(-90 16 ").append(fmt(midY)).append(")\">").append(esc(y.label()))
                .append("</text></g>");
        // x axis
        s.append("<g class=\"axis x\">");
        s.append(line("axis-line", LEFT, TOP + plotH, width - RIGHT, TOP + plotH, "#444"));
        Ticks xt = barChart ? null : Ticks.upTo(maxX);
        if (barChart) {
            double bw = bars.isEmpty() ? plotW : plotW / bars.size();
            int every = Math.max(1, (int) Math.ceil(bars.size() / (double) MAX_BAR_LABELS));
            for (int i = 0; i < bars.size(); i++) {
                double px = LEFT + bw * (i + 0.5);
                s.append("<g class=\"tick\">").append(line(null, px, TOP + plotH, px, TOP + plotH + 5, "#444"));
                if (i % every == 0) {
                    s.append(text("tick-label", px, TOP + plotH + 18, "middle", bars.get(i).label()));
                }
                s.append("</g>");
            }
        } else {
            for (double v : xt.values()) {
                double px = LEFT + plotW * v / xt.top();
                s.append("<g class=\"tick\">").append(line(null, px, TOP + plotH, px, TOP + plotH + 5, "#444"))
                        .append(text("tick-label", px, TOP + plotH + 18, "middle", xt.format(v))).append("</g>");
            }
        }
        s.append(text("axis-title", LEFT + plotW / 2, height - 10, "middle", x.label())).append("</g>");
        // data
        s.append("<g class=\"data\">");
        if (barChart) {
            double bw = bars.isEmpty() ? plotW : plotW / bars.size();
            double gap = Math.min(6, bw * 0.15);
            for (int i = 0; i < bars.size(); i++) {
                Bar b = bars.get(i);
                double bh = plotH * Math.max(0, b.value()) / yt.top();
                s.append("<rect class=\"bar\" x=\"").append(fmt(LEFT + i * bw + gap / 2)).append("\" y=\"")
                        .append(fmt(TOP + plotH - bh)).append("\" width=\"").append(fmt(Math.max(1, bw - gap)))
                        .append("\" height=\"").append(fmt(bh)).append("\" fill=\"").append(esc(b.colour()))
                        .append("\"><title>").append(esc(b.tooltip())).append("</title></rect>");
            }
        } else {
            for (Series se : series) {
                s.append("<polyline class=\"series\" fill=\"none\" stroke-width=\"2\" stroke=\"")
                        .append(esc(se.colour())).append("\" points=\"");
                for (int i = 0; i < se.xs().length; i++) {
                    s.append(fmt(LEFT + plotW * se.xs()[i] / xt.top())).append(',')
                            .append(fmt(TOP + plotH - plotH * Math.max(0, se.ys()[i]) / yt.top())).append(' ');
                }
                s.append("\"><title>").append(esc(se.name())).append("</title></polyline>");
            }
        }
        s.append("</g>");
        if (series.size() > 1) {
            s.append("<g class=\"legend\">");
            double lx = LEFT + 8;
            for (Series se : series) {
                s.append("<rect x=\"").append(fmt(lx)).append("\" y=\"10\" width=\"10\" height=\"10\" fill=\"")
                        .append(esc(se.colour())).append("\"/>")
                        .append(text(null, lx + 14, 19, "start", se.name()));
                lx += 22 + 6.5 * se.name().length();
            }
            s.append("</g>");
        }
        return s.append("</svg>").toString();
    }

    /** Tick values 0, step, 2·step, … top: step 1, 2 or 5 × 10^k, about five intervals. */
    record Ticks(double step, double top) {
        static Ticks upTo(double max) {
            if (!(max > 0) || Double.isInfinite(max)) {
                return new Ticks(0.2, 1);
            }
            double raw = max / 5;
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = 10 * mag;
            for (double m : new double[] {1, 2, 5, 10}) {
                if (m * mag >= raw - 1e-12 * raw) {
                    step = m * mag;
                    break;
                }
            }
            double top = Math.ceil(max / step - 1e-9) * step;
            return new Ticks(step, top);
        }

        List<Double> values() {
            List<Double> out = new ArrayList<>();
            long n = Math.round(top / step);
            for (long i = 0; i <= n; i++) {
                out.add(i * step);
            }
            return out;
        }

        String format(double v) {
            if (step >= 1) {
                return String.format(Locale.ROOT, "%,.0f", v);
            }
            int decimals = (int) Math.ceil(-Math.log10(step) - 1e-9);
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }

    private static String line(String cls, double x1, double y1, double x2, double y2, String colour) {
        return "<line" + (cls == null ? "" : " class=\"" + cls + "\"") + " x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1)
                + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\" stroke=\"" + colour + "\"/>";
    }

    private static String text(String cls, double x, double y, String anchor, String t) {
        return "<text" + (cls == null ? "" : " class=\"" + cls + "\"") + " x=\"" + fmt(x) + "\" y=\"" + fmt(y)
                + "\" text-anchor=\"" + anchor + "\">" + esc(t) + "</text>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
