package com.pettysync.agent.uplink;

import java.time.Instant;
import org.tinylog.Logger;

/**
 * The uplink's lowest lane: raw-capture chunks (contract §9), at QoS 1, one in flight, only when nothing else is
 * waiting ({@link Uplink} decides when; this class keeps the lane's state and its PUBACK rules).
 *
 * <p>PUBACKs follow {@link PubackReason}'s rule table, as for voice parts: DELETE removes the chunk from the spool;
 * DROP deletes it (the broker will never take those bytes); PAUSE pauses the lane for the not-authorized pause;
 * BACK_OFF or a failed publish pauses the lane for a growing back-off ({@link LanePause}) and offers the same chunk
 * again, as a lost connection does after the reconnect. A pause here never holds back telemetry, events or voice.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 */
final class RawLane {
    /** Tokens of raw publishes: above voice's ({@link VoiceLane#TOKEN_BASE} + 2^61). */
    static final long TOKEN_BASE = VoiceLane.TOKEN_BASE | (1L << 61);

    private final RawChunks chunks;
    private final String topic;
    private final LanePause pause;
    private long tokens = TOKEN_BASE;
    private long token;
    private RawChunks.Chunk inFlight;
    private long published;
    private long acknowledged;
    private long dropped;

    RawLane(RawChunks chunks, String topic, LanePause pause) {
        this.chunks = chunks;
        this.topic = topic;
        this.pause = pause;
    }

    String topic() {
        return topic;
    }

    boolean inFlight() {
        return inFlight != null;
    }

    /** Null when a chunk may be offered now, else when to look again. */
    Instant waitUntil(Instant now) {
        if (inFlight != null) {
            return now.plusSeconds(1);
        }
        return pause.active(now) ? pause.until() : null;
    }

    /** The next chunk, marked in flight under a new token; null when the spool is empty. */
    RawChunks.Chunk take() {
        RawChunks.Chunk c = chunks.next(0, -1);
        if (c != null) {
            inFlight = c;
            token = tokens++;
            published++;
        }
        return c;
    }

    long token() {
        return token;
    }

    boolean owns(long t) {
        return t >= TOKEN_BASE;
    }

    /** The connection ended (or the publish threw): the chunk in flight is offered again later. */
    void release() {
        inFlight = null;
    }

    /** A PUBACK for token {@code t}, by {@link PubackReason}'s rule. */
    void acked(Instant now, long t, int rc, String reason) {
        if (inFlight == null || t != token) {
            return; // from a previous connection
        }
        RawChunks.Chunk c = inFlight;
        inFlight = null;
        PubackReason.Rule rule = PubackReason.ruleOf(rc);
        if (rule == PubackReason.Rule.DELETE) {
            chunks.acknowledged(c);
            acknowledged++;
            pause.accepted();
            return;
        }
        String what = PubackReason.rejection(rc, reason, "raw chunk " + c.captureId() + "/" + c.chunk());
        if (rule == PubackReason.Rule.DROP) {
            chunks.rejected(c, what);
            dropped++;
            Logger.error("{}: the broker will never accept it; deleted", what);
            return;
        }
        pause.rejected(rule, now, what);
    }

    /** The publish of token {@code t} failed without a PUBACK. */
    void failed(Instant now, long t, String why) {
        if (inFlight != null && t == token) {
            inFlight = null;
            pause.backOff(now, why);
        }
    }

    long published() {
        return published;
    }

    long acknowledged() {
        return acknowledged;
    }

    long dropped() {
        return dropped;
    }
}
