package com.pettysync.simulator.cloud.archive;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSampleFormat;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import com.pettysync.contract.voice.VoiceCodec;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import com.pettysync.simulator.cloud.ingest.Verdict;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Frames of one collar over a day, as the tests of the archive and the report store them through the sink. */
public final class ArchiveScenario {
    public static final LocalDate DAY = LocalDate.parse("2026-06-01");
    static final long DAY_START = DAY.toEpochDay() * 86_400L;
    public static final Instant DURING_DAY = Instant.ofEpochSecond(DAY_START + 3_600);
    static final Instant NEXT_DAY = Instant.ofEpochSecond(DAY_START + 86_400 + 1_800);

    private ArchiveScenario() {}

    static byte[] frame(long seq, long t0, int batteryPct, boolean outboxDropped) {
        Set<DeviceStatus.Flag> flags = outboxDropped ? EnumSet.of(DeviceStatus.Flag.OUTBOX_DROPPED)
                : EnumSet.noneOf(DeviceStatus.Flag.class);
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, t0, 300)
                .withDev(new DeviceStatus(batteryPct, 3800, 250, -60, 0, flags))
                .withMood(new Mood(MoodClass.HAPPY, 71, 1, 0, 0, 0)));
    }

    /** Window {@code i} of {@link #DAY} as frame seq {@code i}. */
    static byte[] window(long i) {
        return frame(i, DAY_START + i * 300, 80 - (int) i, false);
    }

    static byte[] event(long eseq, long t, EventType type, List<Long> data) {
        return EventFrameCodec.encode(new EventFrame(eseq, t, type, data));
    }

    static byte[] voicePart(long clipId, long t0Ms, int part, int parts, byte[] pcm) {
        return VoiceClipPartCodec.encode(new VoiceClipPart(clipId, t0Ms, 16000, VoiceCodec.PCM_S16LE,
                pcm.length * parts / 32, 0, 64, part, parts, pcm));
    }

    /**
     * Collar {@code thing}: windows 0–9 of the day except 5, one copy of 3 again (dropped by the sink), an event, a
     * clip of two parts in window 2, a raw PPG chunk (capture 3) sent twice, and window 0 of the next day.
     */
    public static void store(IngestSink sink, String thing) {
        for (long i = 0; i < 10; i++) {
            if (i != 5) {
                require(sink.accept(thing, Stream.TELEMETRY, window(i)), Verdict.STORED);
            }
        }
        require(sink.accept(thing, Stream.TELEMETRY, window(3)), Verdict.DUPLICATE);
        require(sink.accept(thing, Stream.EVENTS, event(0, DAY_START + 700, EventType.LOW_BATTERY, List.of(9L))),
                Verdict.STORED);
        long clipT0 = (DAY_START + 2 * 300 + 10) * 1000;
        require(sink.accept(thing, Stream.VOICE, voicePart(7, clipT0, 0, 2, pcm(1))), Verdict.STORED);
        require(sink.accept(thing, Stream.VOICE, voicePart(7, clipT0, 1, 2, pcm(2))), Verdict.STORED);
        byte[] raw = RawChunkCodec.encode(new RawChunk(3, 0, RawSensor.PPG, (DAY_START + 900) * 1000, 100,
                RawSampleFormat.PPG_RED_IR_U18, new byte[600]));
        require(sink.accept(thing, Stream.RAW, raw), Verdict.STORED);
        require(sink.accept(thing, Stream.RAW, raw), Verdict.DUPLICATE);
        require(sink.accept(thing, Stream.TELEMETRY, frame(10, DAY_START + 86_400, 70, false)), Verdict.STORED);
    }

    static byte[] pcm(int fill) {
        byte[] b = new byte[640];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static void require(Verdict got, Verdict expected) {
        if (got != expected) {
            throw new AssertionError("sink answered " + got + ", expected " + expected);
        }
    }
}
