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
final class RawLane extends SingleFlightLane<RawChunks.Chunk> {
    /** Tokens of raw publishes: above voice's ({@link VoiceLane#TOKEN_BASE} + 2^61). */
    static final long TOKEN_BASE = VoiceLane.TOKEN_BASE | (1L << 61);

    private final RawChunks chunks;

    RawLane(RawChunks chunks, String topic, LanePause pause) {
        super(topic, TOKEN_BASE, pause);
        this.chunks = chunks;
    }

    /** The next chunk, marked in flight under a new token ({@link #token}); null when the spool is empty. */
    RawChunks.Chunk take() {
        RawChunks.Chunk c = chunks.next(0, -1);
        if (c != null) {
            send(c);
        }
        return c;
    }

    boolean owns(long t) {
        return t >= TOKEN_BASE;
    }

    @Override
    String describe(RawChunks.Chunk c) {
        return "raw chunk " + c.captureId() + "/" + c.chunk();
    }

    @Override
    void accepted(Instant now, RawChunks.Chunk c) {
        chunks.acknowledged(c);
    }

    @Override
    void dropped(RawChunks.Chunk c, String what) {
        chunks.rejected(c, what);
        Logger.error("{}: the broker will never accept it; deleted", what);
    }

    /** The publish of token {@code t} failed without a PUBACK. */
    void failed(Instant now, long t, String why) {
        if (answered(t) != null) {
            pause().backOff(now, why);
        }
    }
}
