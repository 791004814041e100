package com.pettysync.agent.uplink;

/**
 * Where the uplink gets raw-capture chunks (contract §9) from: the lowest lane, below voice clip parts — a chunk
 * goes only when no telemetry or event frame and no voice part is waiting, one in flight at a time. Implemented by
 * {@code com.pettysync.agent.raw.RawSpool}; called on the uplink's thread.
 */
public interface RawChunks {
    /**
     * One encoded chunk.
     *
     * @param captureId the capture
     * @param chunk     its chunk number
     * @param payload   the contract CBOR ({@code RawChunkCodec}), ≤ 16 KiB
     */
    record Chunk(long captureId, long chunk, byte[] payload) {
    }

    /** The oldest chunk after {@code (afterCaptureId, afterChunk)}, or null when there is none. */
    Chunk next(long afterCaptureId, long afterChunk);

    /** The broker acknowledged {@code c} (PUBACK &lt; 0x80): it leaves the spool. */
    void acknowledged(Chunk c);

    /** The broker will never accept {@code c} (0x90, 0x95, 0x99): it is deleted. */
    void rejected(Chunk c, String why);
}
