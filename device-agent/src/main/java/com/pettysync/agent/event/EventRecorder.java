package com.pettysync.agent.event;

import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.frame.ContractViolation;
import java.time.Clock;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Commits event frames (contract §4) to the outbox at once — not at window end — and wakes the uplink.
 *
 * <p>Each event gets the next {@code eseq} inside the outbox transaction and is encoded with the contract's
 * {@link EventFrameCodec}; {@code t} is the injected clock's time in Unix seconds. An event whose data break the
 * contract (a bug upstream) is logged and not queued; it never takes the agent down.
 */
public final class EventRecorder {
    private final OutboxStore outbox;
    private final Clock clock;
    private final Runnable wake;

    public EventRecorder(OutboxStore outbox, Clock clock, Runnable wake) {
        this.outbox = outbox;
        this.clock = clock;
        this.wake = wake;
    }

    /** Commits one event; returns its outbox entry, or empty when its data were invalid. */
    public Optional<OutboxEntry> record(EventType type, long... data) {
        return record(clock.instant().getEpochSecond(), type, data);
    }

    /**
     * Commits one event raised by an observation made at Unix millisecond {@code observedMs} (its {@code t} is that
     * second) and logs it on one line with that time, so the delay from observation to the cloud can be measured
     * from outside ({@code event GEOFENCE_EXIT eseq 12 observed 1767225600123}).
     */
    public Optional<OutboxEntry> recordObserved(long observedMs, EventType type, long... data) {
        Optional<OutboxEntry> e = record(Math.max(0, Math.floorDiv(observedMs, 1000L)), type, data);
        e.ifPresent(entry -> Logger.info("event {} eseq {} observed {}", type, entry.counter(), observedMs));
        return e;
    }

    /** Commits one event that happened at Unix second {@code t}; empty when its data were invalid. */
    public Optional<OutboxEntry> record(long t, EventType type, long... data) {
        try {
            OutboxEntry e = outbox.append(FrameKind.EVENT,
                    (eseq, ctx) -> EventFrameCodec.encode(EventFrame.of(eseq, t, type, data)));
            wake.run();
            return Optional.of(e);
        } catch (ContractViolation | IllegalArgumentException e) {
            Logger.error("event {} not queued, its data break the contract: {}", type, e.getMessage());
            return Optional.empty();
        }
    }
}
