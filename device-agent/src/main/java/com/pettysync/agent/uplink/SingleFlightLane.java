package com.pettysync.agent.uplink;

import java.time.Instant;

/**
 * A lane with at most one publish without PUBACK ({@link VoiceLane}, {@link RawLane}): which item is in flight under
 * which token, and whether the lane may offer its next item — not while one is in flight, not while its
 * {@link LanePause} runs; and {@link PubackReason}'s rules for the item in flight ({@link #acked}: accepted, dropped,
 * or kept with the lane paused). The subclass says what its items are and what accepting or dropping one means.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 *
 * @param <T> the lane's item
 */
abstract class SingleFlightLane<T> {
    private final String topic;
    private final LanePause pause;
    private long tokens;
    private long token;
    private T inFlight;
    private long published;

    /** @param tokenBase the lane's first publish token (each lane has its own range) */
    SingleFlightLane(String topic, long tokenBase, LanePause pause) {
        this.topic = topic;
        this.tokens = tokenBase;
        this.pause = pause;
    }

    final String topic() {
        return topic;
    }

    final LanePause pause() {
        return pause;
    }

    final boolean inFlight() {
        return inFlight != null;
    }

    /** Null when an item may be offered now, else when to look again (one in flight, or the lane paused). */
    final Instant waitUntil(Instant now) {
        if (inFlight != null) {
            return now.plusSeconds(1);
        }
        return pause.active(now) ? pause.until() : null;
    }

    /** Marks {@code item} in flight under a new token and returns the token. */
    final long send(T item) {
        token = tokens++;
        inFlight = item;
        published++;
        return token;
    }

    /** The token of the item in flight (or of the last one). */
    final long token() {
        return token;
    }

    /** The connection ended (or the publish threw): the item in flight is offered again later. */
    final void release() {
        inFlight = null;
    }

    /**
     * The item the answer (PUBACK or failure) for token {@code t} is about, no longer in flight; null when {@code t}
     * is not the item in flight (an answer from a previous connection).
     */
    final T answered(long t) {
        if (inFlight == null || t != token) {
            return null;
        }
        T item = inFlight;
        inFlight = null;
        return item;
    }

    final long published() {
        return published;
    }

    /** A PUBACK for token {@code t}, by {@link PubackReason}'s rule; ignored when not for the item in flight. */
    final void acked(Instant now, long t, int rc, String reason) {
        T item = answered(t);
        if (item == null) {
            return; // from a previous connection
        }
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            accepted(now, item);
            pause.accepted();
            return;
        }
        String what = PubackReason.rejection(rc, reason, describe(item));
        if (rule == PubackReason.Rule.DROP) {
            dropped(item, what);
            return;
        }
        kept(what);
        pause.rejected(rule, now, what);
    }

    /** The item as a rejection line names it. */
    abstract String describe(T item);

    /** The broker accepted {@code item} (PUBACK below 0x80). */
    abstract void accepted(Instant now, T item);

    /** The broker will never accept {@code item} ({@code DROP}); {@code what} is the rejection as logged. */
    abstract void dropped(T item, String what);

    /** {@code item} was rejected and is kept (the lane pauses next); nothing by default. */
    void kept(String what) {
    }
}
