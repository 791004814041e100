package com.pettysync.agent.outbox;

import java.time.Instant;

/**
 * One frame waiting in the outbox.
 *
 * @param id        offer order: strictly increasing, never reused, also across restarts
 * @param kind      telemetry or event (decides the topic and the drop order)
 * @param counter   the frame's {@code seq} (telemetry) or {@code eseq} (event), as written into the payload
 * @param createdAt when the frame was committed (the agent's clock)
 * @param payload   the encoded frame, exactly as it is to be published
 */
public record OutboxEntry(long id, FrameKind kind, long counter, Instant createdAt, byte[] payload) {
    public OutboxEntry {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload size in bytes without copying it. */
    public int size() {
        return payload.length;
    }
}
