package com.pettysync.simulator.cloud.ingest;

import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Joins the parts of one voice clip (contract §5) into a WAV file. Pure; used by the sink when a clip's last part
 * arrives.
 *
 * <p>The parts must be exactly parts 0 … n−1 of one clip, agreeing on clip id, start, sample rate, codec, duration,
 * class and confidence; anything else is an {@link IllegalArgumentException} naming the disagreement. IMA ADPCM clips
 * are not joined ({@link Optional#empty()}): the contract does not define their block layout, and the collar sends PCM.
 *
 * <pre>
 * WAV (little-endian):  "RIFF" u32 size "WAVE"
 *                       "fmt " u32 16  u16 1 (PCM)  u16 1 (mono)  u32 rate  u32 rate*2  u16 2  u16 16
 *                       "data" u32 n   n bytes of s16le samples (the parts' bytes in part order)
 * </pre>
 */
public final class ClipJoin {
    private ClipJoin() {}

    /** The joined clip, or empty for a codec this side does not decode. */
    public static Optional<JoinedClip> join(List<VoiceClipPart> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no parts");
        }
        List<VoiceClipPart> ordered = parts.stream().sorted(Comparator.comparingLong(VoiceClipPart::part)).toList();
        VoiceClipPart first = ordered.get(0);
        if (first.parts() != ordered.size()) {
            throw new IllegalArgumentException("clip has " + first.parts() + " parts, got " + ordered.size());
        }
        int audioBytes = 0;
        for (int i = 0; i < ordered.size(); i++) {
            VoiceClipPart p = ordered.get(i);
            if (p.part() != i) {
                throw new IllegalArgumentException("part " + i + " missing (got part " + p.part() + ")");
            }
            if (p.clipId() != first.clipId() || p.t0Ms() != first.t0Ms() || p.sampleRate() != first.sampleRate()
                    || p.codec() != first.codec() || p.durationMs() != first.durationMs()
                    || p.vocalClass() != first.vocalClass() || p.confPct() != first.confPct()
                    || p.parts() != first.parts()) {
                throw new IllegalArgumentException("part " + i + " disagrees with part 0 on the clip's header");
            }
            audioBytes += p.byteCount();
        }
        if (first.codec() != VoiceCodec.PCM_S16LE) {
            return Optional.empty();
        }
        if (audioBytes % 2 != 0) {
            throw new IllegalArgumentException("PCM s16le audio of an odd byte count: " + audioBytes);
        }
        ByteBuffer wav = ByteBuffer.allocate(44 + audioBytes).order(ByteOrder.LITTLE_ENDIAN);
        int rate = (int) first.sampleRate();
        wav.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + audioBytes)
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(audioBytes);
        for (VoiceClipPart p : ordered) {
            wav.put(p.bytes());
        }
        return Optional.of(new JoinedClip(first.clipId(), first.t0Ms(), first.sampleRate(), first.durationMs(),
                first.vocalClass(), first.confPct(), wav.array()));
    }

    /** The s16le samples of a WAV written by {@link #join} (the bytes after its 44-byte header). */
    public static byte[] samples(byte[] wav) {
        if (wav.length < 44) {
            throw new IllegalArgumentException("not a WAV of this layout: " + wav.length + " bytes");
        }
        return java.util.Arrays.copyOfRange(wav, 44, wav.length);
    }
}
