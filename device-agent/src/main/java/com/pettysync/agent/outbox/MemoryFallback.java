package com.pettysync.agent.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.tinylog.Logger;

/**
 * The frames of a degraded {@link OutboxStore} (its database unusable): held in memory until the store is back on
 * disk.
 *
 * <h2>Guarantee</h2>
 * The same outbox semantics as on disk while the process lives: the same capacity and drop order (oldest telemetry
 * first, events only when no telemetry is left), frames offered by id, acknowledged frames gone. It remembers which
 * ids were removed (acknowledged or dropped), so {@link #writeBack} deletes those from the database as well as
 * inserting the frames still held, with their ids; the store numbers memory frames above every id the database
 * holds.
 *
 * <h2>Failure model</h2>
 * Nothing here is durable: the frames die with the process (the store's documented caveat). A failed
 * {@link #writeBack} leaves this unchanged for the next try.
 *
 * <p>Not thread-safe: called under {@link OutboxStore}'s lock.
 */
final class MemoryFallback {
    /** A frame appended in memory, and how many frames the drop policy removed to make room. */
    record Appended(OutboxEntry entry, int dropped) {
    }

    private final TreeMap<Long, OutboxEntry> frames = new TreeMap<>();
    private final Set<Long> removed = new HashSet<>();
    private final int capacityFrames;
    private final Clock clock;

    MemoryFallback(int capacityFrames, Clock clock) {
        this.capacityFrames = capacityFrames;
        this.clock = clock;
    }

    /**
     * Builds frame {@code id} with {@code counter} and keeps it, first choosing the frames the drop policy removes
     * when full; the builder's context carries the dropped mark when {@code droppedMark} is set or a frame is dropped.
     *
     * @throws RuntimeException whatever {@code builder} throws; nothing is then changed
     */
    Appended append(FrameKind kind, long counter, long id, boolean droppedMark, FrameBuilder builder) {
        int count = frames.size();
        List<Long> drop = new ArrayList<>();
        if (count >= capacityFrames) {
            // oldest telemetry first, then oldest events
            List<Long> order = new ArrayList<>();
            frames.values().stream().filter(e -> e.kind() == FrameKind.TELEMETRY).forEach(e -> order.add(e.id()));
            frames.values().stream().filter(e -> e.kind() == FrameKind.EVENT).forEach(e -> order.add(e.id()));
            Iterator<Long> it = order.iterator();
            while (count >= capacityFrames && it.hasNext()) {
                drop.add(it.next());
                count--;
            }
        }
        byte[] payload = builder.build(counter, new FrameBuilder.Context(count, droppedMark || !drop.isEmpty()));
        drop.forEach(this::remove);
        OutboxEntry e = new OutboxEntry(id, kind, counter, clock.instant(), payload);
        frames.put(e.id(), e);
        return new Appended(e, drop.size());
    }

    /**
     * Keeps every frame {@code db} still lets it read, as the store degrades; returns the highest id read (0 for
     * none). Frames it cannot read now are logged and stay in the file, sent after recovery.
     */
    long holdAll(Connection db) {
        long[] highest = {0};
        try {
            OutboxDatabase.readAllFrames(db, e -> {
                frames.put(e.id(), e);
                highest[0] = Math.max(highest[0], e.id());
            });
        } catch (SQLException e) {
            Logger.warn("outbox degraded and its frames are unreadable for now ({}); they are sent after recovery",
                    OutboxStore.oneLine(e));
        }
        return highest[0];
    }

    /** Up to {@code limit} frames with {@code id > afterId}, of {@code kind} unless it is null, oldest first. */
    List<OutboxEntry> pendingAfter(long afterId, int limit, FrameKind kind) {
        return frames.tailMap(afterId, false).values().stream().filter(e -> kind == null || e.kind() == kind)
                .limit(limit).toList();
    }

    /** Removes frame {@code id} (acknowledged or dropped) and remembers it for {@link #writeBack}. */
    void remove(long id) {
        frames.remove(id);
        removed.add(id);
    }

    long newestId() {
        return frames.isEmpty() ? 0 : frames.lastKey();
    }

    int size() {
        return frames.size();
    }

    /**
     * Inside the caller's transaction on {@code c}: deletes the frames removed meanwhile, inserts those held (an id
     * the database already has is left alone), and drops the oldest (drop order) until the capacity holds. Returns
     * the frames dropped. Call {@link #clear} once that committed.
     */
    int writeBack(Connection c) throws SQLException {
        OutboxDatabase.deleteFrames(c, removed);
        OutboxDatabase.insertFramesKeepingIds(c, frames.values());
        int dropped = 0;
        for (int count = OutboxDatabase.count(c); count > capacityFrames; count--) {
            OutboxDatabase.dropOldest(c);
            dropped++;
        }
        return dropped;
    }

    void clear() {
        frames.clear();
        removed.clear();
    }
}
