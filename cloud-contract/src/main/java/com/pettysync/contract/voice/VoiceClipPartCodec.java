package com.pettysync.contract.voice;

import com.pettysync.contract.frame.CborFrameWriter;
import com.pettysync.contract.frame.CborItem;
import com.pettysync.contract.frame.CborReader;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.frame.Field;
import com.pettysync.contract.frame.FrameShape;

/**
 * Encodes, decodes and validates voice clip parts (wire contract v1 §5), same guarantees and failure model as
 * the telemetry codec; the budget is 128 KiB per part (AWS IoT Core's payload limit), checked before parsing.
 *
 * <pre>
 * part = {0: v = 1, 1: clip_id, 2: t0 (Unix ms), 3: sample_rate, 4: codec 0|1, 5: duration_ms ≤ 10000,
 *         6: [class 0 … 3, conf_pct 0 … 100], 7: part (0-based, &lt; parts), 8: parts ≥ 1, 9: bytes}
 * </pre>
 */
public final class VoiceClipPartCodec {
    /** 128 KiB. */
    public static final int MAX_PART_BYTES = 128 * 1024;

    static final String[] KEYS = {"v", "clip_id", "t0", "sample_rate", "codec", "duration_ms", "episode", "part",
        "parts", "bytes"};
    static final Field CLIP_ID = Field.uint("clip_id");
    static final Field T0 = Field.uint("t0");
    static final Field SAMPLE_RATE = new Field("sample_rate", 1, Field.UINT_MAX);
    static final Field CODEC = new Field("codec", 0, 1);
    static final Field DURATION = new Field("duration_ms", 0, 10_000);
    static final Field[] EPISODE = {new Field("class", 0, 3), new Field("conf_pct", 0, 100)};
    static final Field PART = Field.uint("part");
    static final Field PARTS = new Field("parts", 1, Field.UINT_MAX);

    private VoiceClipPartCodec() {}

    /** The deterministic CBOR of a valid part. */
    public static byte[] encode(VoiceClipPart p) {
        validate(p);
        byte[] audio = p.bytes();
        CborFrameWriter w = new CborFrameWriter(audio.length + 64).startMap(10);
        w.key(0).integer(VoiceClipPart.VERSION);
        w.key(1).integer(p.clipId());
        w.key(2).integer(p.t0Ms());
        w.key(3).integer(p.sampleRate());
        w.key(4).integer(p.codec().code());
        w.key(5).integer(p.durationMs());
        w.key(6).integers(p.vocalClass(), p.confPct());
        w.key(7).integer(p.part());
        w.key(8).integer(p.parts());
        w.key(9).bytes(audio);
        byte[] frame = w.finishMap();
        FrameShape.checkSize(frame.length, MAX_PART_BYTES);
        return frame;
    }

    /** The validated part in {@code frame}. */
    public static VoiceClipPart decode(byte[] frame) {
        FrameShape.checkSize(frame.length, MAX_PART_BYTES);
        CborItem[] known = FrameShape.topLevel(CborReader.readSingle(frame), KEYS);
        for (int k = 0; k < KEYS.length; k++) {
            FrameShape.required(known, k, KEYS);
        }
        FrameShape.integer(known[0], "v", new Field("v", VoiceClipPart.VERSION, VoiceClipPart.VERSION));
        long clipId = FrameShape.integer(known[1], "clip_id", CLIP_ID);
        long t0 = FrameShape.integer(known[2], "t0", T0);
        long rate = FrameShape.integer(known[3], "sample_rate", SAMPLE_RATE);
        VoiceCodec codec = VoiceCodec.ofCode(FrameShape.integer(known[4], "codec", CODEC), "codec");
        int duration = (int) FrameShape.integer(known[5], "duration_ms", DURATION);
        long[] episode = FrameShape.integers(known[6], "episode", EPISODE);
        long part = FrameShape.integer(known[7], "part", PART);
        long parts = FrameShape.integer(known[8], "parts", PARTS);
        byte[] audio = FrameShape.bytes(known[9], "bytes");
        return validate(new VoiceClipPart(clipId, t0, rate, codec, duration, (int) episode[0], (int) episode[1],
                part, parts, audio));
    }

    /** Returns {@code p} if every field is in range and {@code part < parts}. */
    public static VoiceClipPart validate(VoiceClipPart p) {
        CLIP_ID.check(p.clipId(), "clip_id");
        T0.check(p.t0Ms(), "t0");
        SAMPLE_RATE.check(p.sampleRate(), "sample_rate");
        DURATION.check(p.durationMs(), "duration_ms");
        EPISODE[0].check(p.vocalClass(), "episode[0]");
        EPISODE[1].check(p.confPct(), "episode[1]");
        PART.check(p.part(), "part");
        PARTS.check(p.parts(), "parts");
        if (p.part() >= p.parts()) {
            throw new ContractViolation("part", "part " + p.part() + " must be < parts " + p.parts()
                    + " (parts are numbered from 0)");
        }
        if (p.byteCount() > MAX_PART_BYTES) {
            throw new ContractViolation("bytes", "audio of " + p.byteCount() + " bytes cannot fit a 128 KiB part");
        }
        return p;
    }
}
