package com.pettysync.agent.sensing;

import com.pettysync.contract.telemetry.DeviceStatus;

/**
 * What the collar's sensors observe, handed on the moment it is observed, on the thread that polled the sensor
 * (each real part's own polling thread; the twins' one thread). Times are the observation's own, in Unix
 * milliseconds. This is where events come from (contract §4: "evaluated on the observation that raises them");
 * the window's summary is made separately, at window close. Implementations must be quick and thread-safe, and
 * must not throw (a throw is logged and costs only that observation).
 */
public interface Observations {

    /** A GNSS fix with a position: degrees × 10^7 and horizontal accuracy in decimetres. */
    void fix(long tMs, int latE7, int lonE7, int haccDm);

    /** A sliding heart-rate estimate over the last {@link SlidingHeartRate#SPAN_S} s of PPG. */
    void heartRate(long tMs, int bpm);

    /** A fuel-gauge reading. */
    void battery(long tMs, int pct, boolean charging);

    /** A sensor's state as its poller marked it: {@code flag} its contract fault flag, {@code code} the driver's. */
    void sensor(long tMs, DeviceStatus.Flag flag, boolean faulted, int code);

    /** Observes nothing. */
    Observations NONE = new Observations() {
        @Override
        public void fix(long tMs, int latE7, int lonE7, int haccDm) {
        }

        @Override
        public void heartRate(long tMs, int bpm) {
        }

        @Override
        public void battery(long tMs, int pct, boolean charging) {
        }

        @Override
        public void sensor(long tMs, DeviceStatus.Flag flag, boolean faulted, int code) {
        }
    };
}
