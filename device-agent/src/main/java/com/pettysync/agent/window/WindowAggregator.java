package com.pettysync.agent.window;

import com.pettysync.agent.outbox.FrameBuilder;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.Outbox;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.Firmware;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Closes a telemetry window every {@code dur} seconds on the injected clock and commits its frame to the outbox.
 *
 * <p>Windows are aligned to multiples of {@code dur} since the Unix epoch (a 300 s window starts at :00, :05, …),
 * so frames of all collars line up. A new window length (shadow {@code telemetryIntervalS}) takes effect from the
 * next window. When the agent was not running or the clock jumped, the frame for the window in progress is still
 * made at its end, with {@code t0} of that window; windows nobody observed are not invented.
 *
 * <p>Guarantee: every window that closes while the agent runs produces exactly one committed frame. The frame is
 * built inside the outbox transaction with the contract encoder ({@link TelemetryFrameCodec#encode}, which
 * validates and thins the trail to 182 bytes), so it carries its own {@code seq}, the outbox backlog and the
 * {@code outbox_dropped} flag. If the inputs break the contract (a sensor or model bug), the violation is logged
 * and the frame is made from the device readings alone rather than lost.
 *
 * <p>Flags set here: {@code clock_gnss} / {@code clock_unsynced} from the {@link ClockSource} at window end,
 * {@code charging}, {@code lost_mode}, the sensor faults of the inputs, and {@code outbox_dropped} from the outbox.
 */
public final class WindowAggregator {
    private final Outbox outbox;
    private final WindowInputs.Source source;
    private final ClockSource.Probe clockSource;
    private final Clock clock;
    private final IntSupplier windowS;
    private final BooleanSupplier lostMode;
    private final Supplier<Firmware> firmware;
    private long t0;
    private int dur;

    public WindowAggregator(Outbox outbox, WindowInputs.Source source, ClockSource.Probe clockSource, Clock clock,
            IntSupplier windowS, BooleanSupplier lostMode, Firmware firmware) {
        this(outbox, source, clockSource, clock, windowS, lostMode, () -> firmware);
    }

    /** @param firmware read at each frame: the build and model version in service (they change over the air) */
    public WindowAggregator(Outbox outbox, WindowInputs.Source source, ClockSource.Probe clockSource, Clock clock,
            IntSupplier windowS, BooleanSupplier lostMode, Supplier<Firmware> firmware) {
        this.outbox = outbox;
        this.source = source;
        this.clockSource = clockSource;
        this.clock = clock;
        this.windowS = windowS;
        this.lostMode = lostMode;
        this.firmware = firmware;
        startWindow(clock.instant().getEpochSecond());
    }

    private void startWindow(long nowS) {
        dur = windowS.getAsInt();
        t0 = Math.floorDiv(nowS, dur) * dur;
    }

    /** When the window in progress closes. */
    public Instant nextClose() {
        return Instant.ofEpochSecond(t0 + dur);
    }

    /** Start of the window in progress (Unix seconds). */
    public long currentStart() {
        return t0;
    }

    /** Closes the window in progress if its end has passed; returns the committed frame. */
    public Optional<OutboxEntry> closeIfDue() {
        long now = clock.instant().getEpochSecond();
        if (now < t0 + dur) {
            if (now < t0) {
                startWindow(now); // the clock went backwards (first NTP sync): restart on the new time line
            }
            return Optional.empty();
        }
        long start = t0;
        int length = dur;
        WindowInputs inputs = source.collect(start, length);
        ClockSource cs = clockSource.current();
        boolean lost = lostMode.getAsBoolean();
        OutboxEntry entry = outbox.append(FrameKind.TELEMETRY, (seq, ctx) -> encode(seq, start, length, inputs, cs,
                lost, ctx));
        startWindow(now);
        return Optional.of(entry);
    }

    private byte[] encode(long seq, long start, int length, WindowInputs in, ClockSource cs, boolean lost,
            FrameBuilder.Context ctx) {
        try {
            return TelemetryFrameCodec.encode(summary(seq, start, length, in, cs, lost, ctx));
        } catch (ContractViolation | IllegalArgumentException e) {
            Logger.error("window {} inputs break the contract ({}); sending device readings only", start,
                    e.getMessage());
            return TelemetryFrameCodec.encode(summary(seq, start, length, in.deviceOnly(), cs, lost, ctx));
        }
    }

    TelemetrySummary summary(long seq, long start, int length, WindowInputs in, ClockSource cs, boolean lost,
            FrameBuilder.Context ctx) {
        EnumSet<DeviceStatus.Flag> flags = EnumSet.noneOf(DeviceStatus.Flag.class);
        flags.addAll(in.faults());
        if (in.charging()) {
            flags.add(DeviceStatus.Flag.CHARGING);
        }
        if (lost) {
            flags.add(DeviceStatus.Flag.LOST_MODE);
        }
        if (cs == ClockSource.GNSS) {
            flags.add(DeviceStatus.Flag.CLOCK_GNSS);
        } else if (cs == ClockSource.UNSYNCED) {
            flags.add(DeviceStatus.Flag.CLOCK_UNSYNCED);
        }
        if (ctx.outboxDropped()) {
            flags.add(DeviceStatus.Flag.OUTBOX_DROPPED);
        }
        TelemetrySummary s = TelemetrySummary.of(seq, start, length)
                .withDev(new DeviceStatus(in.batteryPct(), in.batteryMv(), in.tempDc(), in.rssiDbm(), ctx.backlog(),
                        flags))
                .withFw(firmware.get());
        if (in.hr() != null) {
            s = s.withHr(in.hr());
        }
        if (in.act() != null) {
            s = s.withAct(in.act());
        }
        if (in.loc() != null) {
            s = s.withLoc(in.loc());
        }
        if (in.mood() != null) {
            s = s.withMood(in.mood());
        }
        return s;
    }
}
