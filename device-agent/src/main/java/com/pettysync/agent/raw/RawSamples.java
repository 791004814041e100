package com.pettysync.agent.raw;

import com.pettysync.contract.raw.RawSensor;

/** Raw sensor samples as the sensor pipeline reads them, for a raw capture (contract §9). */
public final class RawSamples {
    private RawSamples() {}

    /** Receives samples on the thread that polls the sensor; must return quickly (no disk, no network). */
    public interface Sink {
        /**
         * One sample of {@code sensor} taken at {@code epochMs} (Unix ms), at a nominal {@code rateHz}: PPG
         * {@code [red, ir]} (18-bit counts), IMU {@code [ax, ay, az]} milli-g and {@code [gx, gy, gz]} deci-degrees
         * per second.
         */
        void sample(RawSensor sensor, long epochMs, int rateHz, int[] values);

        /** The part lost samples before the next one (a FIFO overflow): the series is not continuous there. */
        void gap(RawSensor sensor);
    }

    /** A sensor pipeline that can hand its raw samples to a sink (the twins and the real parts). */
    public interface Source {
        /** Samples read from now on also go to {@code sink} ({@code null}: none). */
        void onRawSamples(Sink sink);
    }
}
