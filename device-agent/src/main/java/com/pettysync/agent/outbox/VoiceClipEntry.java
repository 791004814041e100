package com.pettysync.agent.outbox;

import com.pettysync.contract.voice.VoiceCodec;
import java.time.Instant;

/**
 * One voice clip in the outbox's clip index (table {@code voice_clip}, drawn in {@link OutboxStore}); the audio
 * itself is a file under {@code <dataDirectory>/clips/} ({@code com.pettysync.agent.voice.VoiceClips}).
 *
 * @param clipId     contract §5 {@code clip_id}, ≥ 1, never handed out twice
 * @param t0Ms       clip start, Unix ms
 * @param vocalClass the episode's class (0 bark, 1 growl, 2 whine, 3 howl)
 * @param confPct    the episode's confidence, 0 … 100
 * @param codec      how the file's bytes are encoded
 * @param sampleRate Hz
 * @param durationMs clip length
 * @param bytes      audio bytes in the file
 * @param parts      contract parts the clip is sent in
 * @param partsAcked parts {@code 0 … partsAcked-1} were acknowledged by the broker
 * @param file       the file name under {@code clips/}
 * @param createdAt  when it was indexed (the agent's clock)
 */
public record VoiceClipEntry(long clipId, long t0Ms, int vocalClass, int confPct, VoiceCodec codec, int sampleRate,
        int durationMs, long bytes, int parts, int partsAcked, String file, Instant createdAt) {
}
