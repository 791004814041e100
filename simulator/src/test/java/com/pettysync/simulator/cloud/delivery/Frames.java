package com.pettysync.simulator.cloud.delivery;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.util.EnumSet;
import java.util.List;

/** Frames for the delivery tests. */
final class Frames {
    private Frames() {}

    static byte[] frame(long seq, long t0, int batteryPct, boolean outboxDropped) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, t0, 300).withDev(new DeviceStatus(batteryPct, 3800,
                250, -60, 0, outboxDropped ? EnumSet.of(DeviceStatus.Flag.OUTBOX_DROPPED)
                        : EnumSet.noneOf(DeviceStatus.Flag.class))));
    }

    static byte[] event(long eseq, long t, EventType type) {
        return EventFrameCodec.encode(new EventFrame(eseq, t, type, List.of(1L, 0L, 0L)));
    }
}
