package com.pettysync.agent.outbox;

import java.util.Collection;
import java.util.List;

/**
 * What the uplink and the window aggregator need from an outbox: frames committed before they are offered, removed
 * only after their PUBACK, offered again after a restart. Each implementation states in its class comment what
 * survives a killed process and what does not.
 *
 * <ul>
 * <li>{@link OutboxStore}: the collar's own SQLite database (synchronous=FULL, survives power loss; degrades to
 * memory on storage faults).</li>
 * <li>the fleet simulator's shard store ({@code simulator} {@code fleet.ShardOutboxStore}): every virtual collar
 * of one process in one SQLite database.</li>
 * </ul>
 *
 * <p>Contract for every implementation: {@link #append} commits before it returns; ids are strictly increasing
 * and never reused for one collar, also across restarts; a frame leaves only through {@link #acknowledge} /
 * {@link #acknowledgeAll} or the capacity drop policy; counters ({@code seq}, {@code eseq}) are never handed out
 * twice.
 */
public interface Outbox extends AutoCloseable {
    /**
     * Allocates the next counter of {@code kind}, builds the frame with {@code builder} and commits it; applies the
     * drop policy first when the outbox is full. A builder that throws leaves the outbox unchanged.
     */
    OutboxEntry append(FrameKind kind, FrameBuilder builder);

    /** Up to {@code limit} pending frames with {@code id > afterId}, oldest first. */
    List<OutboxEntry> pendingAfter(long afterId, int limit);

    /** Up to {@code limit} pending frames of {@code kind} with {@code id > afterId}, oldest first. */
    List<OutboxEntry> pendingAfter(long afterId, int limit, FrameKind kind);

    /** Removes frame {@code id} after its PUBACK. Idempotent: an unknown or already removed id is ignored. */
    void acknowledge(long id);

    /** Removes every frame of {@code ids} after their PUBACKs (one commit where the store can). Idempotent. */
    void acknowledgeAll(Collection<Long> ids);

    /** The id of the newest pending frame, or 0 when the outbox is empty. */
    long newestId();

    /** Frames waiting for a PUBACK. */
    int size();

    OutboxHealth health();

    /**
     * Bumped whenever frames with lower ids than those already seen may have appeared: a reader that walks
     * {@link #pendingAfter} with a cursor starts over.
     */
    long generation();

    @Override
    void close();
}
