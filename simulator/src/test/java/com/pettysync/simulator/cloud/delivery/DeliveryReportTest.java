package com.pettysync.simulator.cloud.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.contract.event.EventType;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.archive.DayArchiver;
import com.pettysync.simulator.cloud.archive.DirectoryArchiveStore;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryReportTest {
    static final LocalDate DAY = LocalDate.parse("2026-06-01");
    static final long START = DAY.toEpochDay() * 86_400L;

    @TempDir
    Path dir;

    /**
     * Four collars: "full" delivers all 288 windows on time; "gappy" loses 2 windows in the middle and its last 88;
     * "late" delivers windows 0–99 on time and 100–287 the next morning (a backlog) with the outbox-dropped flag on
     * one and its battery down to 9 %; "silent" is registered and sent nothing.
     */
    static void storeFleet(IngestSink sink, MutableClock clock) {
        for (long i = 0; i < 288; i++) {
            sink.accept("full", Stream.TELEMETRY, Frames.frame(i, START + i * 300, 90, false));
            if (i < 200 && i != 50 && i != 51) {
                sink.accept("gappy", Stream.TELEMETRY, Frames.frame(i, START + i * 300, 60, false));
            }
            if (i < 100) {
                sink.accept("late", Stream.TELEMETRY, Frames.frame(i, START + i * 300, 40, false));
            }
        }
        sink.accept("full", Stream.TELEMETRY, Frames.frame(7, START + 7 * 300, 90, false)); // a re-sent copy
        sink.accept("gappy", Stream.EVENTS, Frames.event(0, START + 600, EventType.GEOFENCE_EXIT));
        sink.accept("gappy", Stream.EVENTS, Frames.event(1, START + 900, EventType.GEOFENCE_RETURN));
        sink.accept("gappy", Stream.EVENTS, Frames.event(2, START + 999, EventType.GEOFENCE_EXIT));
        clock.advance(Duration.ofHours(32)); // 08:00 the next day
        for (long i = 100; i < 288; i++) {
            sink.accept("late", Stream.TELEMETRY, Frames.frame(i, START + i * 300, i == 287 ? 9 : 40, i == 100));
        }
    }

    @Test
    void ordersWorstFirstAndSaysWhy() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(START));
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            storeFleet(sink, clock);
        }
        DeliveryReport r;
        try (SqliteHotStore hot = SqliteHotStore.open(frames)) {
            r = DeliveryReport.build(DAY, hot, null, List.of("silent"), clock.instant());
        }
        assertEquals(List.of("silent", "gappy", "late", "full"), r.collars().stream().map(DeliveryTally::thing)
                .toList(), "most missing first, then most late");
        DeliveryTally silent = r.collars().get(0);
        assertEquals(288, silent.missing());
        assertEquals(List.of("silent all day"), silent.reasons());
        DeliveryTally gappy = r.collars().get(1);
        assertEquals(198, gappy.received());
        assertEquals(90, gappy.missing());
        assertEquals(2, gappy.seqGaps());
        assertEquals(java.util.Map.of("geofence_exit", 2L, "geofence_return", 1L), gappy.events());
        assertTrue(gappy.reasons().contains("last frame at 16:40"), gappy.reasons().toString());
        DeliveryTally late = r.collars().get(2);
        assertEquals(0, late.missing());
        assertEquals(188, late.late());
        assertEquals(1, late.outboxDropped());
        assertEquals(9, late.batteryMin());
        assertTrue(late.reasons().contains("battery low (9 %)"), late.reasons().toString());
        DeliveryTally full = r.collars().get(3);
        assertEquals(List.of(), full.reasons());
        assertEquals(1, full.duplicates());

        JsonNode fleet = r.toJson().get("fleet");
        assertEquals(4, fleet.get("collars").asInt());
        assertEquals(1, fleet.get("complete").asInt());
        assertEquals(288 * 4, fleet.get("expected").asLong());
        assertEquals(288 + 198 + 288, fleet.get("received").asLong());
        assertEquals(188, fleet.get("late").asLong());
    }

    @Test
    void aDayAlreadyArchivedReportsTheSameAsFromTheHotStore() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(START));
        Path frames = dir.resolve("frames.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            storeFleet(sink, clock);
        }
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            JsonNode before = DeliveryReport.build(DAY, hot, archive, List.of("silent"), clock.instant()).toJson();
            new DayArchiver(hot, archive, clock).archiveDay(DAY);
            JsonNode after = DeliveryReport.build(DAY, hot, archive, List.of("silent"), clock.instant()).toJson();
            assertEquals(before.get("collars"), after.get("collars"));
            assertEquals(before.get("fleet"), after.get("fleet"));
        }
    }

    @Test
    void theHtmlPageIsSelfContainedWithALabelledChart() throws Exception {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(START));
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            storeFleet(sink, clock);
        }
        String html;
        try (SqliteHotStore hot = SqliteHotStore.open(dir.resolve("frames.db"))) {
            html = DeliveryReportPage.render(DeliveryReport.build(DAY, hot, null, List.of("silent"), clock.instant()));
        }
        assertTrue(html.contains("<svg id=\"delivered-histogram\""));
        assertTrue(html.contains("frames received, % of expected"), "x axis label with unit");
        assertTrue(html.contains("collars (count)"), "y axis label");
        assertEquals(11, html.split("class=\"bar\"", -1).length - 1, "one bar per 10 % bucket, and 100 %");
        assertTrue(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "no outside files");
    }
}
