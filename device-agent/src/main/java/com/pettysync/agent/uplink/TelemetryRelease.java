package com.pettysync.agent.uplink;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.telemetry.PublishOffset;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.time.Instant;
import org.tinylog.Logger;

/**
 * When the uplink may publish a telemetry frame already committed to the outbox (wire contract §8, "Publish
 * offset"): not before {@code t0 + dur + o} of the frame's own window, {@code o} from {@link PublishOffset} for this
 * collar's thing name. The frame is durable from the moment its window closes; only the offer waits.
 *
 * <p>A frame is held only while {@code t0 + dur ≤ now < t0 + dur + o}, so no frame is ever held longer than
 * {@code o} (under 60 s): a backlog frame whose time has passed goes at once (after a restart or a reconnect), and a
 * frame whose window end lies after now (the clock went backwards since it was made) goes at once too rather than
 * waiting for the old time line. Events are never held; neither is a payload that is not a telemetry frame (it is
 * offered as it is, and the broker's rules decide).
 *
 * <p>Confined to the uplink's thread (it remembers the last frame it read, so a held frame is decoded once).
 */
public final class TelemetryRelease {
    private final PublishOffset offset;
    private long lastId = -1;
    private long lastWindowEnd;
    private long lastPublishAt;

    public TelemetryRelease(PublishOffset offset) {
        this.offset = java.util.Objects.requireNonNull(offset);
    }

    /** The rule for {@code thing}; see {@link PublishOffset#of} for the errors. */
    public static TelemetryRelease forThing(String thing) {
        return new TelemetryRelease(PublishOffset.of(thing));
    }

    /** When {@code frame} may be published if that is after {@code now}; null when it may go now. */
    public Instant heldUntil(OutboxEntry frame, Instant now) {
        if (frame.kind() != FrameKind.TELEMETRY) {
            return null;
        }
        if (frame.id() != lastId) {
            read(frame);
        }
        long nowS = now.getEpochSecond();
        if (nowS < lastWindowEnd || nowS >= lastPublishAt) {
            return null;
        }
        return Instant.ofEpochSecond(lastPublishAt);
    }

    private void read(OutboxEntry frame) {
        lastId = frame.id();
        try {
            TelemetrySummary s = TelemetryFrameCodec.decode(frame.payload());
            lastWindowEnd = s.t0() + s.dur();
            lastPublishAt = offset.publishAt(s.t0(), s.dur());
        } catch (ContractViolation | IllegalArgumentException | ArithmeticException e) {
            Logger.warn("telemetry frame {} is not a contract frame ({}); offered without a publish offset",
                    frame.counter(), e.getMessage());
            lastWindowEnd = Long.MAX_VALUE; // never held
            lastPublishAt = Long.MAX_VALUE;
        }
    }
}
