package com.pettysync.simulator.cloud.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.simulator.cloud.archive.ArchiveLayout;
import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.archive.HotStore;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The daily delivery report: for one UTC day, one {@link DeliveryTally} per collar — from the hot store, merged with
 * the archive's manifest where the day is already archived — the fleet's totals, and the collars ordered worst first
 * (most frames missing, then most late, then outbox drops, then lowest battery). Answers "which collars did not deliver
 * yesterday, and why?". {@link DeliveryReportPage} renders it as HTML.
 */
public final class DeliveryReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<DeliveryTally> WORST_FIRST = Comparator
            .comparingLong(DeliveryTally::missing).reversed()
            .thenComparing(Comparator.comparingLong(DeliveryTally::late).reversed())
            .thenComparing(Comparator.comparingLong(DeliveryTally::outboxDropped).reversed())
            .thenComparingInt(t -> t.batteryMin() < 0 ? 101 : t.batteryMin())
            .thenComparing(DeliveryTally::thing);

    private final LocalDate day;
    private final Instant generatedAt;
    private final List<DeliveryTally> collars;

    private DeliveryReport(LocalDate day, Instant generatedAt, List<DeliveryTally> collars) {
        this.day = day;
        this.generatedAt = generatedAt;
        this.collars = collars;
    }

    /**
     * Builds the report of {@code day} for every collar {@code hot} has heard from plus {@code knownThings} (e.g. the
     * registry's, so a collar silent since before the day shows as silent); {@code archive} may be null.
     */
    public static DeliveryReport build(LocalDate day, HotStore hot, ArchiveStore archive, Collection<String> knownThings,
            Instant generatedAt) throws IOException {
        TreeSet<String> things = new TreeSet<>(hot.things());
        things.addAll(knownThings);
        Map<String, DeliveryTally> tallies = new HashMap<>();
        for (String thing : things) {
            tallies.put(thing, archived(archive, thing, day).orElseGet(() -> new DeliveryTally(thing, day)));
        }
        hot.forEachTelemetry(day, (thing, seq, t0, dur, receivedAt, frame) -> {
            DeliveryTally t = tallies.computeIfAbsent(thing, k -> new DeliveryTally(k, day));
            if (!t.has(seq)) {
                TelemetrySummary s = TelemetryFrameCodec.decode(frame);
                t.addFrame(seq, s.t0(), s.dur(), receivedAt, s);
            }
        });
        hot.eventCounts(day).forEach((thing, byType) -> byType.forEach((type, n) ->
                tallies.computeIfAbsent(thing, k -> new DeliveryTally(k, day))
                        .addEvent(EventType.ofCode(type, "type").jsonName(), n)));
        hot.clipCounts(day).forEach((thing, n) -> tallies.computeIfAbsent(thing, k -> new DeliveryTally(k, day))
                .addClips(n));
        hot.telemetryDuplicates(day).forEach((thing, n) -> tallies.computeIfAbsent(thing,
                k -> new DeliveryTally(k, day)).addDuplicates(n));
        List<DeliveryTally> ordered = new ArrayList<>(tallies.values());
        ordered.sort(WORST_FIRST);
        return new DeliveryReport(day, generatedAt, List.copyOf(ordered));
    }

    private static Optional<DeliveryTally> archived(ArchiveStore archive, String thing, LocalDate day)
            throws IOException {
        if (archive == null) {
            return Optional.empty();
        }
        Optional<byte[]> m = archive.get(ArchiveLayout.manifest(thing, day));
        if (m.isEmpty()) {
            return Optional.empty();
        }
        JsonNode manifest = JSON.readTree(m.get());
        return Optional.of(DeliveryTally.fromJson(manifest.path("delivery")));
    }

    public LocalDate day() {
        return day;
    }

    public Instant generatedAt() {
        return generatedAt;
    }

    /** Every collar, worst first. */
    public List<DeliveryTally> collars() {
        return collars;
    }

    /** Collars that delivered every expected frame, none late. */
    public long complete() {
        return collars.stream().filter(t -> t.missing() == 0 && t.late() == 0).count();
    }

    public long silent() {
        return collars.stream().filter(t -> t.received() == 0).count();
    }

    public long sum(java.util.function.ToLongFunction<DeliveryTally> f) {
        return collars.stream().mapToLong(f).sum();
    }

    /** The report as JSON: the day, the fleet's totals, then every collar worst first. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("day", day.toString()).put("generated_at", generatedAt.toString())
                .put("late_after_s", DeliveryTally.LATE_AFTER.toSeconds());
        ObjectNode fleet = o.putObject("fleet");
        fleet.put("collars", collars.size()).put("complete", complete())
                .put("with_missing", collars.stream().filter(t -> t.missing() > 0).count()).put("silent", silent())
                .put("expected", sum(DeliveryTally::expected)).put("received", sum(DeliveryTally::received))
                .put("missing", sum(DeliveryTally::missing)).put("seq_gaps", sum(DeliveryTally::seqGaps))
                .put("late", sum(DeliveryTally::late)).put("duplicates_dropped", sum(DeliveryTally::duplicates))
                .put("outbox_dropped", sum(DeliveryTally::outboxDropped))
                .put("battery_low", collars.stream().filter(t -> t.batteryMin() >= 0
                        && t.batteryMin() <= DeliveryTally.LOW_BATTERY_PCT).count())
                .put("clips_joined", sum(DeliveryTally::clips));
        Map<String, Long> events = new TreeMap<>();
        collars.forEach(t -> t.events().forEach((k, v) -> events.merge(k, v, Long::sum)));
        ObjectNode ev = fleet.putObject("events");
        events.forEach(ev::put);
        ArrayNode list = o.putArray("collars");
        for (DeliveryTally t : collars) {
            ObjectNode c = t.toJson();
            c.remove(List.of("seq_ranges", "windows", "service_start"));
            list.add(c);
        }
        return o;
    }
}
