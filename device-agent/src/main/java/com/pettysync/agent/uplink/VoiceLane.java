package com.pettysync.agent.uplink;

import java.time.Instant;
import org.tinylog.Logger;

/**
 * The uplink's voice lane: contract §5 clip parts from {@link VoiceParts}, at QoS 1, at most one part in flight (it
 * counts against {@code maxInFlight}). {@link Uplink} decides when a part may go (only when no frame is waiting,
 * through the one token bucket); this class (on {@link SingleFlightLane}) keeps the lane's part in flight, its PUBACK
 * rules and its pause.
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
final class VoiceLane extends SingleFlightLane<VoiceParts.Part> {
    /** Tokens of voice part publishes: far above any outbox id (ids stay below 2^62, also when degraded). */
    static final long TOKEN_BASE = 1L << 62;

    private final VoiceParts parts;
    private final UplinkCounters counters;
    private long acknowledged;

    VoiceLane(VoiceParts parts, String topic, LanePause pause, UplinkCounters counters) {
        super(topic, TOKEN_BASE, pause);
        this.parts = parts;
        this.counters = counters;
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

    boolean owns(long t) {
        return t >= TOKEN_BASE && t < RawLane.TOKEN_BASE;
    }

    /** The publish of token {@code t} failed without a PUBACK; returns whether it was the part in flight. */
    boolean failed(long t) {
        return answered(t) != null;
    }

    /** The failed part goes again after a back-off (the session is still alive). */
    void retryAfterBackOff(Instant now, String why) {
        counters.lastError = why;
        pause().backOff(now, why);
    }

    @Override
    String describe(VoiceParts.Part p) {
        return "voice clip " + p.clipId() + " part " + p.part() + "/" + p.parts();
    }

    @Override
    void accepted(Instant now, VoiceParts.Part p) {
        parts.acknowledged(p);
        acknowledged++;
        counters.lastPuback = now;
    }

    @Override
    void dropped(VoiceParts.Part p, String what) {
        parts.rejected(p, what);
        counters.rejectedDropped++;
        Logger.error("{}: the broker will never accept it; clip dropped", what);
    }

    @Override
    void kept(String what) {
        counters.rejectedKept++;
        counters.lastError = what;
    }

    long acknowledged() {
        return acknowledged;
    }
}
