package com.pettysync.agent.uplink;

import java.time.Instant;
import org.tinylog.Logger;

/**
 * The uplink's voice lane: contract §5 clip parts from {@link VoiceParts}, at QoS 1, at most one part in flight (it
 * counts against {@code maxInFlight}). {@link Uplink} decides when a part may go (only when no frame is waiting,
 * through the one token bucket); this class keeps the lane's in-flight part, its PUBACK rules and its pause.
 *
 * <h2>Guarantee</h2>
 * A part is marked acknowledged ({@link VoiceParts#acknowledged}) only on a PUBACK below 0x80; until then it is
 * offered again — after a lost connection, a failed publish or a kept rejection. Rejections follow
 * {@link PubackReason}'s table, but the pause applies to voice only (a clip the broker refuses must not hold back
 * telemetry): 0x90/0x95/0x99 and a part over {@link Uplink#MAX_PAYLOAD_BYTES} drop the clip
 * ({@link VoiceParts#rejected}, counted in {@code rejectedDropped}); 0x87 pauses voice for the not-authorized pause;
 * anything else, and a publish that failed on a live session, pauses voice for a growing back-off
 * ({@link LanePause}) and then offers the same part again.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 */
final class VoiceLane {
    /** Tokens of voice part publishes: far above any outbox id (ids stay below 2^62, also when degraded). */
    static final long TOKEN_BASE = 1L << 62;

    private final VoiceParts parts;
    private final String topic;
    private final LanePause pause;
    private final UplinkCounters counters;
    private long tokens = TOKEN_BASE;
    private long token;
    private VoiceParts.Part inFlight;
    private long published;
    private long acknowledged;

    VoiceLane(VoiceParts parts, String topic, LanePause pause, UplinkCounters counters) {
        this.parts = parts;
        this.topic = topic;
        this.pause = pause;
        this.counters = counters;
    }

    String topic() {
        return topic;
    }

    boolean inFlight() {
        return inFlight != null;
    }

    /** Null when a part may be offered now, else when to look again (a part in flight, or the lane paused). */
    Instant waitUntil(Instant now) {
        if (inFlight != null) {
            return now.plusSeconds(1);
        }
        return pause.active(now) ? pause.until() : null;
    }

    /** The next part to publish, or null when there is none. */
    VoiceParts.Part next() {
        return parts.next();
    }

    /** Whether {@code p} is over the payload limit; if so its clip is dropped and counted. */
    boolean dropIfOversized(VoiceParts.Part p) {
        if (p.payload().length <= Uplink.MAX_PAYLOAD_BYTES) {
            return false;
        }
        parts.rejected(p, "part of " + p.payload().length + " bytes exceeds the 128 KiB payload limit");
        counters.rejectedDropped++;
        Logger.error("voice clip {} part {} exceeds the 128 KiB payload limit; clip dropped", p.clipId(), p.part());
        return true;
    }

    /** Marks {@code p} in flight; returns the token to publish it under. */
    long sending(VoiceParts.Part p) {
        token = tokens++;
        inFlight = p;
        published++;
        return token;
    }

    /** The connection ended (or the publish threw): the part in flight is offered again later. */
    void release() {
        inFlight = null;
    }

    boolean owns(long t) {
        return t >= TOKEN_BASE && t < RawLane.TOKEN_BASE;
    }

    /** The publish of token {@code t} failed without a PUBACK; returns whether it was the part in flight. */
    boolean failed(long t) {
        if (inFlight != null && t == token) {
            inFlight = null;
            return true;
        }
        return false;
    }

    /** The failed part goes again after a back-off (the session is still alive). */
    void retryAfterBackOff(Instant now, String why) {
        counters.lastError = why;
        pause.backOff(now, why);
    }

    /** A PUBACK for token {@code t}, by {@link PubackReason}'s rule. */
    void acked(Instant now, long t, int rc, String reason) {
        if (inFlight == null || t != token) {
            return; // from a previous connection
        }
        VoiceParts.Part p = inFlight;
        inFlight = null;
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            parts.acknowledged(p);
            acknowledged++;
            counters.lastPuback = now;
            pause.accepted();
            return;
        }
        String what = PubackReason.rejection(rc, reason,
                "voice clip " + p.clipId() + " part " + p.part() + "/" + p.parts());
        if (rule == PubackReason.Rule.DROP) {
            parts.rejected(p, what);
            counters.rejectedDropped++;
            Logger.error("{}: the broker will never accept it; clip dropped", what);
            return;
        }
        counters.rejectedKept++;
        counters.lastError = what;
        pause.rejected(rule, now, what);
    }

    long published() {
        return published;
    }

    long acknowledged() {
        return acknowledged;
    }
}
