package com.pettysync.simulator.fleet;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's progress line: one line per interval, printed by {@code pettysync simulate} (each shard) and read back
 * from the shards' logs by {@code simulate scale}. Both sides use this one record, so the text and its parser cannot
 * drift apart:
 *
 * <pre>
 * [sim 00:55:59] connected 1000/1000 | made 9406 sent 9406 acked 9406 stored 9406 | 498 acked/s 498 stored/s | PUBACK p50 487.2 ms p99 669.7 ms
 * </pre>
 *
 * {@code stored} is {@code n/a} (and the stored rate absent) when the fleet has no frame store to count in.
 *
 * @param simulatedS simulated seconds since the start (whole seconds)
 * @param connected  collars connected now
 * @param collars    collars of this fleet (shard)
 * @param made       frames committed by the collars' window aggregators
 * @param sent       PUBLISH packets sent, re-sends included
 * @param acked      successful PUBACKs
 * @param stored     distinct frames stored, {@value #UNKNOWN} when not counted
 * @param ackedPerS  PUBACKs per real second over the last interval (printed as a whole number)
 * @param storedPerS frames stored per real second over the last interval (ignored when {@code stored} is unknown)
 * @param p50Ms      PUBACK latency of the last interval, median, ms (printed to 0.1 ms)
 * @param p99Ms      the same, 99th percentile
 */
public record ProgressLine(long simulatedS, long connected, long collars, long made, long sent, long acked,
        long stored, double ackedPerS, double storedPerS, double p50Ms, double p99Ms) {

    /** {@code stored} when the fleet cannot count stored frames. */
    public static final long UNKNOWN = -1;

    private static final Pattern LINE = Pattern.compile("\\[sim (\\d+):(\\d\\d):(\\d\\d)] connected (\\d+)/(\\d+) "
            + "\\| made (\\d+) sent (\\d+) acked (\\d+) stored (\\d+|n/a) \\| (\\d+) acked/s ?(?:(\\d+) stored/s)? "
            + "\\| PUBACK p50 ([0-9.]+) ms p99 ([0-9.]+) ms");

    /** The line as printed (no line separator). */
    public String format() {
        return String.format(Locale.ROOT, "[sim %s] connected %d/%d | made %d sent %d acked %d stored %s | %.0f acked/s"
                + "%s | PUBACK p50 %.1f ms p99 %.1f ms", clock(simulatedS), connected, collars, made, sent, acked,
                stored < 0 ? "n/a" : String.valueOf(stored), ackedPerS,
                stored < 0 ? "" : String.format(Locale.ROOT, " %.0f stored/s", storedPerS), p50Ms, p99Ms);
    }

    /** The progress line in {@code text} (one line, possibly with a log prefix), or empty when it is none. */
    public static Optional<ProgressLine> parse(String text) {
        Matcher m = LINE.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        long sim = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3));
        boolean counted = !m.group(9).equals("n/a");
        return Optional.of(new ProgressLine(sim, Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                counted ? Long.parseLong(m.group(9)) : UNKNOWN, Double.parseDouble(m.group(10)),
                counted && m.group(11) != null ? Double.parseDouble(m.group(11)) : 0,
                Double.parseDouble(m.group(12)), Double.parseDouble(m.group(13))));
    }

    /** {@code hh:mm:ss} of whole seconds. */
    public static String clock(long seconds) {
        return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
