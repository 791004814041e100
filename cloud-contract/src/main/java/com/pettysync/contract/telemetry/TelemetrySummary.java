package com.pettysync.contract.telemetry;

/**
 * The telemetry summary of one window (wire contract v1 §3): frame counter, window start (Unix s) and length
 * (s), and the optional sections. A {@code null} section is absent ("no data"). Schema version 1 is implied
 * (the codec writes and requires {@code v = 1}). Records do not check ranges; {@link TelemetryFrameCodec}
 * validates before encoding and after decoding.
 */
public record TelemetrySummary(long seq, long t0, int dur, HeartRate hr, Activity act, Location loc, Mood mood,
        DeviceStatus dev, Firmware fw) {

    /** The schema version this record type represents. */
    public static final int VERSION = 1;

    /** A summary with no sections. */
    public static TelemetrySummary of(long seq, long t0, int dur) {
        return new TelemetrySummary(seq, t0, dur, null, null, null, null, null, null);
    }

    public TelemetrySummary withHr(HeartRate v) {
        return new TelemetrySummary(seq, t0, dur, v, act, loc, mood, dev, fw);
    }

    public TelemetrySummary withAct(Activity v) {
        return new TelemetrySummary(seq, t0, dur, hr, v, loc, mood, dev, fw);
    }

    public TelemetrySummary withLoc(Location v) {
        return new TelemetrySummary(seq, t0, dur, hr, act, v, mood, dev, fw);
    }

    public TelemetrySummary withMood(Mood v) {
        return new TelemetrySummary(seq, t0, dur, hr, act, loc, v, dev, fw);
    }

    public TelemetrySummary withDev(DeviceStatus v) {
        return new TelemetrySummary(seq, t0, dur, hr, act, loc, mood, v, fw);
    }

    public TelemetrySummary withFw(Firmware v) {
        return new TelemetrySummary(seq, t0, dur, hr, act, loc, mood, dev, v);
    }

    /** Unix second at which the window ends: {@code t0 + dur}. */
    public long windowEnd() {
        return t0 + dur;
    }
}
