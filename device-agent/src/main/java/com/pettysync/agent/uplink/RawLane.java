package com.pettysync.agent.uplink;

import java.time.Duration;
import java.time.Instant;
import org.tinylog.Logger;

/**
 * The uplink's lowest lane: raw-capture chunks (contract §9), at QoS 1, one in flight, only when nothing else is
 * waiting ({@link Uplink} decides when; this class keeps the lane's state and its PUBACK rules).
 *
 * <p>Rules, as for voice parts: a PUBACK below 0x80 removes the chunk from the spool; 0x90, 0x95, 0x99 delete it
 * (the broker will never take those bytes); 0x87 pauses the lane for the not-authorized pause; anything else, a
 * failed publish or a lost connection pauses the lane for a growing back-off and offers the same chunk again. A
 * pause here never holds back telemetry, events or voice.
 */
final class RawLane {
    /** Tokens of raw publishes: above voice's ({@link Uplink#VOICE_TOKEN_BASE} + 2^61). */
    static final long TOKEN_BASE = Uplink.VOICE_TOKEN_BASE | (1L << 61);

    private final RawChunks chunks;
    private final String topic;
    private final Backoff backoff;
    private final Duration minPause;
    private final Duration notAuthorizedPause;
    private long tokens = TOKEN_BASE;
    private long token;
    private RawChunks.Chunk inFlight;
    private Instant pausedUntil = Instant.MIN;
    private int failures;
    private long published;
    private long acknowledged;
    private long dropped;

    RawLane(RawChunks chunks, String topic, Backoff backoff, Duration minPause, Duration notAuthorizedPause) {
        this.chunks = chunks;
        this.topic = topic;
        this.backoff = backoff;
        this.minPause = minPause;
        this.notAuthorizedPause = notAuthorizedPause;
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
        return now.isBefore(pausedUntil) ? pausedUntil : null;
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

    /** A PUBACK for token {@code t}; returns true when it counts as a rejection kept (for the uplink's counters). */
    void acked(Instant now, long t, int rc, String reason) {
        if (inFlight == null || t != token) {
            return; // from a previous connection
        }
        RawChunks.Chunk c = inFlight;
        inFlight = null;
        if (rc < 0x80) {
            chunks.acknowledged(c);
            acknowledged++;
            failures = 0;
            return;
        }
        String what = "PUBACK 0x" + Integer.toHexString(rc) + (reason == null ? "" : " (" + reason + ")")
                + " for raw chunk " + c.captureId() + "/" + c.chunk();
        switch (rc) {
            case 0x90, 0x95, 0x99 -> {
                chunks.rejected(c, what);
                dropped++;
                Logger.error("{}: the broker will never accept it; deleted", what);
            }
            case 0x87 -> {
                pausedUntil = now.plus(notAuthorizedPause);
                Logger.error("{}: kept; raw lane paused for {} s", what, notAuthorizedPause.toSeconds());
            }
            default -> pause(now, what);
        }
    }

    /** The publish of token {@code t} failed without a PUBACK. */
    void failed(Instant now, long t, String why) {
        if (inFlight != null && t == token) {
            inFlight = null;
            pause(now, why);
        }
    }

    private void pause(Instant now, String why) {
        failures++;
        Duration d = backoff.delay(failures);
        if (d.compareTo(minPause) < 0) {
            d = minPause;
        }
        pausedUntil = now.plus(d);
        Logger.warn("{}: kept; raw lane paused for {} ms", why, d.toMillis());
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
