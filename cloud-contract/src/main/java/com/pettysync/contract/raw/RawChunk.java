package com.pettysync.contract.raw;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One raw-capture chunk (wire contract v1 §9): a run of evenly spaced samples of one sensor. {@code captureId}
 * names the capture (one per request, per collar), {@code chunk} counts the capture's chunks from 0 over both
 * sensors, so {@code (thing, captureId, chunk)} is the cloud's de-duplication key. {@code t0Ms} is the Unix time of
 * the first sample in ms, {@code rateHz} the sample rate (sample {@code i} at {@code t0Ms + i·1000/rateHz}), and
 * {@code samples} the packed samples in the sensor's {@link RawSampleFormat}. Version 1 is implied. The bytes are
 * copied in and out; equality compares them by content.
 */
public record RawChunk(long captureId, long chunk, RawSensor sensor, long t0Ms, int rateHz, RawSampleFormat format,
        byte[] samples) {
    public static final int VERSION = 1;

    public RawChunk {
        Objects.requireNonNull(sensor, "sensor");
        Objects.requireNonNull(format, "format");
        samples = samples.clone();
    }

    @Override
    public byte[] samples() {
        return samples.clone();
    }

    /** Bytes of samples, without copying them. */
    public int sampleBytes() {
        return samples.length;
    }

    /** The samples without a copy, for the codec's checks (never handed out of the package). */
    byte[] samplesView() {
        return samples;
    }

    /** Number of samples (the bytes divided by the format's sample size). */
    public int sampleCount() {
        return samples.length / format.sampleBytes();
    }

    /** The values of every sample, oldest first: {@code [red, ir]} or {@code [ax, ay, az, gx, gy, gz]}. */
    public int[][] values() {
        int[][] v = new int[sampleCount()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = format.unpack(samples, i);
        }
        return v;
    }

    /** Unix ms just after the last sample ({@code t0 + n·1000/rate}, rounded down). */
    public long endMs() {
        return t0Ms + (long) sampleCount() * 1000 / rateHz;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawChunk c && captureId == c.captureId && chunk == c.chunk && sensor == c.sensor
                && t0Ms == c.t0Ms && rateHz == c.rateHz && format == c.format && Arrays.equals(samples, c.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(captureId, chunk, sensor, t0Ms, rateHz, format) * 31 + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(samples, 0, Math.min(samples.length, 8));
        return "RawChunk[captureId=" + captureId + ", chunk=" + chunk + ", sensor=" + sensor.jsonName() + ", t0Ms="
                + t0Ms + ", rateHz=" + rateHz + ", format=" + format.jsonName() + ", samples=" + samples.length
                + " bytes " + head + (samples.length > 8 ? "…" : "") + "]";
    }
}
