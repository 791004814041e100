package com.pettysync.simulator.cloud.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one collar delivered for one UTC day: the answer to "did it deliver, and if not, why?". Built frame by frame
 * from the hot store, kept in the archive's manifest, merged again when late frames of an archived day arrive.
 *
 * <p>Definitions (the report's, the README's):
 * <ul>
 *   <li><b>window</b>: the most common {@code dur} among the day's frames (300 s, the contract's default, when there
 *       are none);</li>
 *   <li><b>expected</b>: windows from the collar's start of service to the day's end at that window length — the day
 *       starts at 00:00 UTC, or at the window of {@code seq} 0 when the collar's first frame ever is in the day;</li>
 *   <li><b>received</b>: distinct frames (by seq) whose window starts in the day; <b>missing</b> = expected −
 *       received (not below 0); <b>seq gaps</b>: seqs absent between the day's lowest and highest;</li>
 *   <li><b>late</b>: received at or after the day's end + {@link #LATE_AFTER} (the last window's publish offset is at
 *       most 60 s, contract §8), i.e. from a backlog or a recovered SD card;</li>
 *   <li><b>duplicates dropped</b>: copies of the day's frames the sink or the archive dropped;</li>
 *   <li><b>outbox dropped</b>: frames carrying flag 256 (the collar's outbox was full and discarded its oldest).</li>
 * </ul>
 * Not thread-safe.
 */
public final class DeliveryTally {
    /** How long after the end of a day a frame of that day may arrive and still count as on time. */
    public static final Duration LATE_AFTER = Duration.ofMinutes(10);
    /** Battery at or below this is reported as low. */
    public static final int LOW_BATTERY_PCT = 15;
    private static final int DEFAULT_WINDOW_S = 300;

    private final String thing;
    private final LocalDate day;
    private final TreeSet<Long> seqs = new TreeSet<>();
    private final Map<Integer, Long> windows = new HashMap<>();
    private final Map<String, Long> events = new TreeMap<>();
    private long serviceStart;
    private long firstT0 = Long.MAX_VALUE;
    private long lastT0 = Long.MIN_VALUE;
    private long late;
    private long duplicates;
    private long outboxDropped;
    private int batteryMin = -1;
    private int batteryMax = -1;
    private long clips;

    public DeliveryTally(String thing, LocalDate day) {
        this.thing = thing;
        this.day = day;
        this.serviceStart = dayStart();
    }

    public String thing() {
        return thing;
    }

    public LocalDate day() {
        return day;
    }

    private long dayStart() {
        return day.toEpochDay() * 86_400L;
    }

    private long dayEnd() {
        return dayStart() + 86_400L;
    }

    /** Whether frame {@code seq} is already counted. */
    public boolean has(long seq) {
        return seqs.contains(seq);
    }

    /**
     * Counts one frame received at {@code receivedAtMs}; {@code summary} may be null (then its flags and battery are
     * not counted). A seq already counted is ignored and {@code false} returned.
     */
    public boolean addFrame(long seq, long t0, int dur, long receivedAtMs, TelemetrySummary summary) {
        if (!seqs.add(seq)) {
            return false;
        }
        windows.merge(dur, 1L, Long::sum);
        if (seq == 0 && t0 > serviceStart) {
            serviceStart = t0;
        }
        firstT0 = Math.min(firstT0, t0);
        lastT0 = Math.max(lastT0, t0);
        if (receivedAtMs >= (dayEnd() + LATE_AFTER.toSeconds()) * 1000) {
            late++;
        }
        if (summary != null && summary.dev() != null) {
            DeviceStatus dev = summary.dev();
            if (dev.flags().contains(DeviceStatus.Flag.OUTBOX_DROPPED)) {
                outboxDropped++;
            }
            batteryMin = batteryMin < 0 ? dev.batteryPct() : Math.min(batteryMin, dev.batteryPct());
            batteryMax = Math.max(batteryMax, dev.batteryPct());
        }
        return true;
    }

    public void addEvent(String typeName, long n) {
        events.merge(typeName, n, Long::sum);
    }

    public void addClips(long n) {
        clips += n;
    }

    public void addDuplicates(long n) {
        duplicates += n;
    }

    /** The window length in seconds. */
    public int windowS() {
        return windows.entrySet().stream().max(Map.Entry.<Integer, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(DEFAULT_WINDOW_S);
    }

    public long expected() {
        return Math.max(0, Math.ceilDiv(dayEnd() - serviceStart, windowS()));
    }

    public long received() {
        return seqs.size();
    }

    public long missing() {
        return Math.max(0, expected() - received());
    }

    public long seqGaps() {
        return seqs.isEmpty() ? 0 : seqs.last() - seqs.first() + 1 - seqs.size();
    }

    public long late() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }

    public long outboxDropped() {
        return outboxDropped;
    }

    /** Lowest battery percentage reported in the day, −1 when none. */
    public int batteryMin() {
        return batteryMin;
    }

    public int batteryMax() {
        return batteryMax;
    }

    public long clips() {
        return clips;
    }

    public Map<String, Long> events() {
        return Map.copyOf(events);
    }

    /** Why the collar did not deliver everything, most telling first; empty for a complete, on-time day. */
    public List<String> reasons() {
        List<String> out = new ArrayList<>();
        int w = windowS();
        if (seqs.isEmpty()) {
            out.add("silent all day");
        } else {
            if (firstT0 - serviceStart >= 2L * w) {
                out.add("first frame at " + hhmm(firstT0));
            }
            if (dayEnd() - (lastT0 + w) >= 2L * w) {
                out.add("last frame at " + hhmm(lastT0 + w));
            }
            if (seqGaps() > 0) {
                out.add(seqGaps() + " seq missing between " + seqs.first() + " and " + seqs.last());
            }
            long head = Math.max(0, (firstT0 - serviceStart) / w);
            long tail = Math.max(0, (dayEnd() - (lastT0 + w)) / w);
            long unbroken = missing() - seqGaps() - head - tail;
            if (unbroken > 0) {
                out.add(unbroken + " windows without a frame, seq unbroken (the collar made none: off or not "
                        + "sampling)");
            }
        }
        if (outboxDropped > 0) {
            out.add("outbox full, oldest dropped (" + outboxDropped + " frames flagged)");
        }
        if (late > 0) {
            out.add(late + " late (backlog or recovered)");
        }
        if (batteryMin >= 0 && batteryMin <= LOW_BATTERY_PCT) {
            out.add("battery low (" + batteryMin + " %)");
        }
        return out;
    }

    private static String hhmm(long unixS) {
        return Instant.ofEpochSecond(unixS).atOffset(ZoneOffset.UTC).toLocalTime().toString();
    }

    /** This tally as JSON (counts, the received seqs as ranges, the window histogram). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("thing", thing).put("day", day.toString()).put("window_s", windowS()).put("expected", expected())
                .put("received", received()).put("missing", missing()).put("seq_gaps", seqGaps()).put("late", late)
                .put("duplicates_dropped", duplicates).put("outbox_dropped", outboxDropped);
        if (batteryMin >= 0) {
            o.put("battery_min_pct", batteryMin).put("battery_max_pct", batteryMax);
        }
        ObjectNode ev = o.putObject("events");
        events.forEach(ev::put);
        o.put("clips_joined", clips);
        ArrayNode reasons = o.putArray("reasons");
        reasons().forEach(reasons::add);
        o.put("service_start", serviceStart);
        if (!seqs.isEmpty()) {
            o.put("first_t0", firstT0).put("last_t0", lastT0);
        }
        ObjectNode win = o.putObject("windows");
        windows.forEach((k, v) -> win.put(Integer.toString(k), v));
        ArrayNode ranges = o.putArray("seq_ranges");
        long start = -1;
        long prev = -2;
        for (long s : seqs) {
            if (s != prev + 1) {
                if (start >= 0) {
                    ranges.add(f.arrayNode().add(start).add(prev));
                }
                start = s;
            }
            prev = s;
        }
        if (start >= 0) {
            ranges.add(f.arrayNode().add(start).add(prev));
        }
        return o;
    }

    /** A tally read back from {@link #toJson()}. */
    public static DeliveryTally fromJson(JsonNode o) {
        DeliveryTally t = new DeliveryTally(o.path("thing").asText(), LocalDate.parse(o.path("day").asText()));
        for (JsonNode r : o.path("seq_ranges")) {
            for (long s = r.get(0).asLong(); s <= r.get(1).asLong(); s++) {
                t.seqs.add(s);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("windows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            t.windows.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = o.path("events").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            t.events.put(e.getKey(), e.getValue().asLong());
        }
        t.serviceStart = o.path("service_start").asLong(t.dayStart());
        if (o.has("first_t0")) {
            t.firstT0 = o.get("first_t0").asLong();
            t.lastT0 = o.get("last_t0").asLong();
        }
        t.late = o.path("late").asLong();
        t.duplicates = o.path("duplicates_dropped").asLong();
        t.outboxDropped = o.path("outbox_dropped").asLong();
        t.batteryMin = o.path("battery_min_pct").asInt(-1);
        t.batteryMax = o.path("battery_max_pct").asInt(-1);
        t.clips = o.path("clips_joined").asLong();
        return t;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s: %d/%d received, %d late", thing, day, received(), expected(), late);
    }
}
