package com.pettysync.contract.voice;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One part of a voice clip (wire contract v1 §5): clip id, clip start (Unix ms), sample rate (Hz), codec,
 * clip duration (ms), the pre-inference's vocal class (0 bark, 1 growl, 2 whine, 3 howl) and confidence,
 * this part's index {@code part} (0-based) of {@code parts}, and this part's audio bytes. Version 1 is
 * implied. The bytes are copied in and out; equality compares them by content.
 */
public record VoiceClipPart(long clipId, long t0Ms, long sampleRate, VoiceCodec codec, int durationMs,
        int vocalClass, int confPct, long part, long parts, byte[] bytes) {
    public static final int VERSION = 1;

    public VoiceClipPart {
        Objects.requireNonNull(codec, "codec");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of audio bytes, without copying them. */
    public int byteCount() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VoiceClipPart p && clipId == p.clipId && t0Ms == p.t0Ms && sampleRate == p.sampleRate
                && codec == p.codec && durationMs == p.durationMs && vocalClass == p.vocalClass
                && confPct == p.confPct && part == p.part && parts == p.parts && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clipId, t0Ms, sampleRate, codec, durationMs, vocalClass, confPct, part, parts)
                * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 8));
        return "VoiceClipPart[clipId=" + clipId + ", t0Ms=" + t0Ms + ", sampleRate=" + sampleRate + ", codec="
                + codec + ", durationMs=" + durationMs + ", vocalClass=" + vocalClass + ", confPct=" + confPct
                + ", part=" + part + ", parts=" + parts + ", bytes=" + bytes.length + " bytes " + head
                + (bytes.length > 8 ? "…" : "") + "]";
    }
}
