package com.pettysync.agent.uplink;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.Outbox;
import com.pettysync.agent.outbox.OutboxEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The uplink's two outbox lanes — events, then telemetry — with their frames in flight. {@link Uplink} asks for
 * the next frame ({@link #pick}) while the token bucket and {@code maxInFlight} allow; this class decides which one
 * and applies the PUBACK rules to it.
 *
 * <h2>Guarantee</h2>
 * A frame leaves the outbox only on a PUBACK below 0x80, on a {@code DROP} rejection (0x90/0x95/0x99: the broker
 * will never accept these bytes) or when it is over {@link Uplink#MAX_PAYLOAD_BYTES}; the last two are counted in
 * {@code rejectedDropped}. Anything else keeps it in the outbox and offers it again: after a reconnect (in-flight
 * frames are forgotten, {@link #connected}), or after the lanes' pause ({@link LanePause}: 0x87 the not-authorized
 * pause, any other rejection or a failed publish a growing back-off, reset by the next accepted frame). Accepted and
 * dropped frames are deleted together in one outbox transaction per batch of broker callbacks
 * ({@link #deleteAnswered}).
 *
 * <h2>Order</h2>
 * Every event frame waiting, oldest first (backlog ones too), before any telemetry. Telemetry: the outbox's frames at
 * connect are the backlog, sent oldest first; frames appended later are live; when both wait, picks alternate between
 * them. With a {@link TelemetryRelease}, a telemetry frame is not offered before its publish time, and the frames
 * behind it in its lane wait with it ({@link #heldUntil}); events and the other lane are not held.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 */
final class FrameLanes {
    private final Outbox outbox;
    private final int maxInFlight;
    private final LanePause pause;
    private final UplinkCounters counters;
    private final Map<Long, OutboxEntry> inFlight = new LinkedHashMap<>();
    /** Frames whose PUBACK (or final rejection) arrived in this batch of callbacks: deleted in one transaction. */
    private final List<Long> answered = new ArrayList<>();
    private TelemetryRelease release;
    /** The earliest time a telemetry frame held by {@link #release} may go, found by the last pick; or null. */
    private Instant heldUntil;
    private long boundary;
    private long backlogCursor;
    private long eventCursor; // events up to here were offered on this session
    private long liveCursor;
    private boolean preferLive;
    private long seenGeneration;

    FrameLanes(Outbox outbox, int maxInFlight, LanePause pause, UplinkCounters counters) {
        this.outbox = outbox;
        this.maxInFlight = maxInFlight;
        this.pause = pause;
        this.counters = counters;
    }

    void setRelease(TelemetryRelease release) {
        this.release = release;
    }

    /** A new session: what the outbox holds now is the backlog; nothing is in flight. */
    void connected() {
        boundary = outbox.newestId();
        backlogCursor = 0;
        liveCursor = boundary;
        eventCursor = 0;
        inFlight.clear();
    }

    /** The session ended: frames in flight stay in the outbox and go again after the next connect. */
    void release() {
        inFlight.clear();
    }

    /** Starts every lane from the outbox's beginning again when the outbox was replaced (its generation moved). */
    void followGeneration() {
        if (outbox.generation() != seenGeneration) {
            seenGeneration = outbox.generation();
            backlogCursor = 0;
            liveCursor = 0;
            eventCursor = 0;
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    /** When the lanes' pause ends if they are paused at {@code now}; else null. */
    Instant pausedUntil(Instant now) {
        return pause.active(now) ? pause.until() : null;
    }

    /** The earliest time a frame held by the telemetry release may go, as found by the last {@link #pick}; or null. */
    Instant heldUntil() {
        return heldUntil;
    }

    /** Whether {@code e} is over the payload limit; if so it is deleted from the outbox and counted. */
    boolean dropIfOversized(OutboxEntry e) {
        if (e.size() <= Uplink.MAX_PAYLOAD_BYTES) {
            return false;
        }
        outbox.acknowledge(e.id());
        counters.rejectedDropped++;
        Logger.error("frame {} of {} bytes exceeds the 128 KiB payload limit; dropped", e.counter(), e.size());
        return true;
    }

    /** Marks {@code e} in flight under its id, the publish token of a frame. */
    void sending(OutboxEntry e) {
        inFlight.put(e.id(), e);
        counters.published++;
    }

    /** The publish of {@code e} threw: it is not in flight. */
    void notSent(OutboxEntry e) {
        inFlight.remove(e.id());
    }

    boolean owns(long token) {
        return token >= 0 && token < VoiceLane.TOKEN_BASE;
    }

    /** The publish of {@code token} failed without a PUBACK: its frame leaves the in-flight set; returns it or null. */
    OutboxEntry failed(long token) {
        return owns(token) ? inFlight.remove(token) : null;
    }

    /** The failed frame {@code e} goes again after a back-off (the session is still alive). */
    void retryAfterBackOff(Instant now, OutboxEntry e, String why) {
        rewindTo(e.id());
        counters.lastError = why;
        pause.backOff(now, why);
    }

    /** A PUBACK for {@code token}, by {@link PubackReason}'s rule. */
    void acked(Instant now, long token, int rc, String reason) {
        OutboxEntry entry = inFlight.remove(token);
        if (entry == null) {
            return; // from a previous connection
        }
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            answered.add(entry.id()); // deleted together in deleteAnswered
            counters.acknowledged++;
            counters.lastPuback = now;
            pause.accepted();
            return;
        }
        String what = PubackReason.rejection(rc, reason,
                entry.kind().name().toLowerCase(Locale.ROOT) + " " + entry.counter());
        if (rule == PubackReason.Rule.DROP) {
            answered.add(entry.id());
            counters.rejectedDropped++;
            Logger.error("{}: the broker will never accept it; dropped", what);
            return;
        }
        counters.rejectedKept++;
        rewindTo(entry.id());
        counters.lastError = what;
        pause.rejected(rule, now, what);
    }

    /**
     * Deletes the frames answered since the last call in one transaction; called after each batch of broker
     * callbacks, before anything reads the outbox again (a rewound cursor must not find an acknowledged frame).
     */
    void deleteAnswered() {
        if (!answered.isEmpty()) {
            outbox.acknowledgeAll(answered);
            answered.clear();
        }
    }

    private void rewindTo(long id) {
        eventCursor = Math.min(eventCursor, id - 1); // harmless for telemetry: the event lane finds no telemetry
        if (id <= boundary) {
            backlogCursor = Math.min(backlogCursor, id - 1);
        } else {
            liveCursor = Math.min(liveCursor, id - 1);
        }
    }

    /** The next frame to offer, its lane's cursor moved past it; null when none may go now. */
    OutboxEntry pick(Instant now) {
        heldUntil = null;
        OutboxEntry event = pickEvent();
        if (event != null) {
            return event;
        }
        OutboxEntry backlog = backlogCursor < boundary ? firstNotInFlight(backlogCursor, boundary) : null;
        boolean backlogHeld = held(backlog, now);
        if (backlogHeld) {
            backlog = null; // not exhausted: its cursor stays
        }
        OutboxEntry live = firstNotInFlight(Math.max(liveCursor, boundary), Long.MAX_VALUE);
        if (held(live, now)) {
            live = null;
        }
        OutboxEntry chosen;
        if (backlog != null && live != null) {
            chosen = preferLive ? live : backlog;
            preferLive = !preferLive;
        } else {
            chosen = backlog != null ? backlog : live;
        }
        if (chosen == null) {
            if (backlog == null && !backlogHeld) {
                backlogCursor = boundary;
            }
            return null;
        }
        if (chosen.id() <= boundary) {
            backlogCursor = chosen.id();
        } else {
            liveCursor = chosen.id();
        }
        return chosen;
    }

    /** Puts back a picked frame that could not go (no token): it is picked first again. */
    void unpick(OutboxEntry e) {
        if (e.kind() == FrameKind.EVENT) {
            eventCursor = Math.min(eventCursor, e.id() - 1);
            return; // the telemetry lanes' cursors were not moved
        }
        rewindTo(e.id());
        preferLive = !preferLive;
    }

    /** Whether {@code e} is a telemetry frame before its publish time; notes that time in {@link #heldUntil}. */
    private boolean held(OutboxEntry e, Instant now) {
        if (e == null || release == null) {
            return false;
        }
        Instant until = release.heldUntil(e, now);
        if (until == null) {
            return false;
        }
        if (heldUntil == null || until.isBefore(heldUntil)) {
            heldUntil = until;
        }
        return true;
    }

    /** The oldest event not in flight, or null; the event lane's cursor moves past it. */
    private OutboxEntry pickEvent() {
        long cursor = eventCursor;
        while (true) {
            List<OutboxEntry> batch = outbox.pendingAfter(cursor, maxInFlight + 1, FrameKind.EVENT);
            for (OutboxEntry e : batch) {
                if (!inFlight.containsKey(e.id())) {
                    eventCursor = e.id();
                    return e;
                }
                cursor = e.id();
            }
            if (batch.size() <= maxInFlight) {
                return null;
            }
        }
    }

    private OutboxEntry firstNotInFlight(long after, long upTo) {
        long cursor = after;
        while (true) {
            List<OutboxEntry> batch = outbox.pendingAfter(cursor, maxInFlight + 1);
            for (OutboxEntry e : batch) {
                if (e.id() > upTo) {
                    return null;
                }
                if (!inFlight.containsKey(e.id())) {
                    return e;
                }
                cursor = e.id();
            }
            if (batch.size() <= maxInFlight) {
                return null;
            }
        }
    }
}
