package com.pettysync.agent.outbox;

/**
 * Builds a frame's payload once the outbox has allocated its counter, inside the outbox's transaction.
 * A builder that throws leaves the outbox unchanged: no counter is consumed and nothing is dropped.
 */
@FunctionalInterface
public interface FrameBuilder {
    /**
     * @param counter the frame's {@code seq} or {@code eseq}
     * @param context outbox facts the frame carries ({@code backlog}, the {@code outbox_dropped} flag)
     */
    byte[] build(long counter, Context context);

    /**
     * @param backlog       frames waiting in the outbox when this one is made (contract §3 {@code dev.backlog})
     * @param outboxDropped the outbox discarded frames since the last telemetry frame was built: set flag 256
     */
    record Context(int backlog, boolean outboxDropped) {
    }
}
