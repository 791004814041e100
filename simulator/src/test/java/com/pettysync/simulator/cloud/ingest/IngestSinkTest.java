package com.pettysync.simulator.cloud.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import com.pettysync.contract.voice.VoiceCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestSinkTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void deduplicatesEveryStreamByItsKeyAndCountsGaps() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            byte[] ev5 = EventFrameCodec.encode(new EventFrame(5, 1767225600L, EventType.LOW_BATTERY, List.of(9L)));
            byte[] ev7 = EventFrameCodec.encode(new EventFrame(7, 1767225700L, EventType.LOW_BATTERY, List.of(8L)));
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.EVENTS, ev5));
            assertEquals(Verdict.DUPLICATE, sink.accept("c1", Stream.EVENTS, ev5));
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.EVENTS, ev7));
            byte[] p0 = voice(42, 0);
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.VOICE, p0));
            assertEquals(Verdict.DUPLICATE, sink.accept("c1", Stream.VOICE, p0));
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.VOICE, voice(42, 1)));
            assertEquals(Verdict.STORED, sink.accept("c2", Stream.VOICE, p0), "same clip id, another collar");
            assertEquals(Verdict.INVALID, sink.accept("c1", Stream.VOICE, ev5), "an event is no voice part");
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.TELEMETRY, telemetry(10)));
            assertEquals(Verdict.STORED, sink.accept("c1", Stream.TELEMETRY, telemetry(14)));
            assertEquals(new CollarCounts("c1", 2, 2, 2, 2, 1, 3, 1), sink.counts("c1"));
            assertEquals(2, sink.counts().size());
        }
        try (IngestSink again = IngestSink.open(dir.resolve("frames.db"), clock)) {
            assertEquals(Verdict.DUPLICATE, again.accept("c1", Stream.TELEMETRY, telemetry(10)),
                    "de-duplication survives a restart");
            assertEquals(3, again.counts("c1").duplicates());
        }
    }

    @Test
    void invalidTelemetryIsCountedNotStored() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            assertEquals(Verdict.INVALID, sink.accept("c1", Stream.TELEMETRY, new byte[0]));
            assertEquals(Verdict.INVALID, sink.accept("c1", Stream.TELEMETRY, new byte[300]));
            assertEquals(new CollarCounts("c1", 0, 0, 0, 0, 2, 0, 0), sink.counts("c1"));
            assertEquals(new CollarCounts("nobody", 0, 0, 0, 0, 0, 0, 0), sink.counts("nobody"));
        }
    }

    @Test
    void replayedArrivalsFollowTheFleetsWindowsNotTheClock() throws Exception {
        try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), clock)) {
            sink.replayArrivals();
            sink.accept("c1", Stream.TELEMETRY, telemetry(10)); // window ends at 1767225600 + 3300
            sink.accept("c1", Stream.TELEMETRY, telemetry(4)); // a backlog frame arrives after it
            sink.accept("c1", Stream.EVENTS, EventFrameCodec.encode(new EventFrame(1, 1767225600L,
                    EventType.LOW_BATTERY, List.of(9L))));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("frames.db"));
                java.sql.ResultSet r = c.createStatement().executeQuery(
                        "SELECT received_at FROM telemetry ORDER BY seq")) {
            r.next();
            assertEquals((1767225600L + 3300) * 1000, r.getLong(1), "seq 4 arrived when the fleet was at 00:55");
            r.next();
            assertEquals((1767225600L + 3300) * 1000, r.getLong(1), "seq 10: its own window end, not the clock");
        }
    }

    private static byte[] telemetry(long seq) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1767225600L + seq * 300, 300));
    }

    private static byte[] voice(long clip, long part) {
        return VoiceClipPartCodec.encode(new VoiceClipPart(clip, 1767225600000L, 16000, VoiceCodec.PCM_S16LE, 1000,
                0, 80, part, 2, new byte[64]));
    }
}
