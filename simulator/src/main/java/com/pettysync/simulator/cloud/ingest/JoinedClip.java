package com.pettysync.simulator.cloud.ingest;

import java.util.Objects;

/**
 * A voice clip whose parts were joined: the clip's identity and on-device classification (contract §5) and the audio
 * as one WAV file (RIFF, PCM s16le, mono, the clip's sample rate; the contract's clips are 16 kHz).
 *
 * @param clipId the collar's clip id
 * @param t0Ms clip start, Unix ms
 * @param sampleRate samples per second
 * @param durationMs clip length as the collar stated it
 * @param vocalClass on-device class: 0 bark, 1 growl, 2 whine, 3 howl
 * @param confPct its confidence, 0 … 100
 * @param wav the WAV file's bytes
 */
public record JoinedClip(long clipId, long t0Ms, long sampleRate, int durationMs, int vocalClass, int confPct,
        byte[] wav) {
    public JoinedClip {
        Objects.requireNonNull(wav, "wav");
    }
}
