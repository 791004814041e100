package com.pettysync.contract.telemetry;

/** Key 4 {@code hr}: heart rate over the window. Ranges are checked by {@link TelemetryFrameCodec#validate}. */
public record HeartRate(int meanBpm, int minBpm, int maxBpm, int rmssdMs, int qualityPct) {}
