package com.pettysync.agent.uplink;

/**
 * Where the uplink gets voice clip parts (contract §5) from: the lowest-priority stream, sent only when no
 * telemetry or event frame is waiting, one part in flight at a time. Implemented by
 * {@code com.pettysync.agent.voice.VoiceClips}; called on the uplink's thread.
 */
public interface VoiceParts {
    /**
     * One encoded part.
     *
     * @param clipId  the clip
     * @param part    0-based part index
     * @param parts   parts of the clip
     * @param payload the part's contract CBOR ({@code VoiceClipPartCodec}), ≤ 128 KiB
     */
    record Part(long clipId, int part, int parts, byte[] payload) {
    }

    /** The next part to publish (the oldest clip's first unacknowledged part), or null when there is none. */
    Part next();

    /** The broker acknowledged {@code p} (PUBACK &lt; 0x80). */
    void acknowledged(Part p);

    /** The broker will never accept {@code p} (0x90, 0x95, 0x99): its clip is dropped. */
    void rejected(Part p, String why);
}
